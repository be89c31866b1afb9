import type { FileFormat } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { LoadFile, RunContext } from '../../core/types.js';
import { qualified, sqlString, type TableName } from '../../snowflake/names.js';
import type { Row, SnowflakeSession } from '../../snowflake/session.js';

/** Snowflake accepts at most this many names in one COPY's FILES list. */
const MAX_FILES_PER_COPY = 1000;

/** Where COPY reads: a stage folder (`@~/dxa/<job>/`, ending in `/`) and each file's name inside it. */
export type CopySource = {
  location: string;
  files: { name: string; file: LoadFile }[];
  /** Runs after the load whatever its outcome (removes uploaded copies). */
  cleanup(): Promise<void>;
};

function fileFormat(format: FileFormat, files: readonly { name: string }[]): string {
  if (format === 'parquet')
    return 'FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE BINARY_AS_TEXT = FALSE) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE';
  // Interchange CSV (docs/interchange.md): NULL is an unquoted empty field, "" the empty string.
  const compression = files.every((f) => f.name.endsWith('.gz')) ? 'GZIP' : 'NONE';
  return (
    `FILE_FORMAT = (TYPE = CSV COMPRESSION = ${compression} SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '"' ` +
    'EMPTY_FIELD_AS_NULL = TRUE NULL_IF = () ESCAPE_UNENCLOSED_FIELD = NONE)'
  );
}

/** COPY INTO with an explicit FILES list, so load history keeps a re-run from loading a file twice. */
export function copyIntoSql(
  table: TableName,
  location: string,
  names: readonly { name: string }[],
  format: FileFormat,
): string {
  const files = names.map((f) => sqlString(f.name)).join(', ');
  return `COPY INTO ${qualified(table)} FROM ${location} FILES = (${files}) ${fileFormat(format, names)} ON_ERROR = ABORT_STATEMENT`;
}

function numberOf(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(String(value));
  return Number.isFinite(n) ? n : NaN;
}

export type CopyOutcome = { rows: number; loaded: number; skipped: string[] };

/**
 * Reads COPY's result: one row per file it loaded (`file`, `status`, `rows_loaded`). A requested
 * file missing from it was skipped because load history says it is in the table already; it
 * counts with its manifest rows. A loaded file whose row count differs from its manifest fails.
 */
export function accountCopy(result: Row[], batch: CopySource['files'], label: string): CopyOutcome {
  const outcome: CopyOutcome = { rows: 0, loaded: 0, skipped: [] };
  const reported = result.filter((r) => r.file !== undefined && r.file !== null);
  const matched = new Set<Row>();
  for (const { name, file } of batch) {
    const row = reported.find((r) => {
      const reportedFile = String(r.file);
      return reportedFile === name || reportedFile.endsWith(`/${name}`);
    });
    if (row === undefined) {
      outcome.skipped.push(name);
      outcome.rows += file.rows;
      continue;
    }
    matched.add(row);
    const loaded = numberOf(row.rows_loaded);
    const emptyFile = file.rows === 0 && loaded === 0;
    if ((String(row.status).toUpperCase() !== 'LOADED' && !emptyFile) || loaded !== file.rows) {
      throw new TerminalError(
        'INTEGRITY_ERROR',
        `loading ${label}: ${name} ${String(row.status)} with ${String(row.rows_loaded)} rows, its manifest says ${file.rows}`,
        { step: 'load' },
      );
    }
    outcome.loaded += 1;
    outcome.rows += loaded;
  }
  // Rows COPY loaded from a file we did not ask for still count, so the total check catches it.
  for (const row of reported) if (!matched.has(row)) outcome.rows += numberOf(row.rows_loaded);
  return outcome;
}

/** Copies every file of the source into `table` in batches of FILES lists; returns the rows now there from them. */
export async function copyAll(
  session: SnowflakeSession,
  table: TableName,
  source: CopySource,
  format: FileFormat,
  ctx: RunContext,
  log: Logger,
): Promise<number> {
  let rows = 0;
  for (let i = 0; i < source.files.length; i += MAX_FILES_PER_COPY) {
    const batch = source.files.slice(i, i + MAX_FILES_PER_COPY);
    const result = await session.execute(copyIntoSql(table, source.location, batch, format), ctx, {
      what: `COPY INTO ${qualified(table)} from ${source.location}`,
    });
    const outcome = accountCopy(result, batch, qualified(table));
    if (outcome.skipped.length > 0)
      log.info('snowflake skipped files already loaded into the table (load history)', {
        table: qualified(table),
        files: outcome.skipped.length,
        first: outcome.skipped[0],
      });
    rows += outcome.rows;
  }
  return rows;
}
