import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { addAbortSignal } from 'node:stream';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { TerminalError, coerceError } from '@dxa/errors';
import { CsvRowSplitter, csvPieces } from './csv-parts.js';
import { duckdbReadCsvSql, quoteDuckdbIdent, quoteDuckdbString } from './duckdb-csv.js';
import { sha256File } from './manifest.js';
import { CreatedFiles, missingHeader, partName, pieceBytesFor, writerFailure } from './part-files.js';
import { checkHeader } from './csv-header.js';
import { TempCsv } from './temp-csv.js';
import type { EncodeColumn, PartWriter, PartWriterOptions, WrittenFile } from './types.js';

/** CSV bytes per Parquet byte assumed before the first part has been measured. */
const INITIAL_RATIO = 5;
// Bounds the temporary CSV on disk for very compressible data (e.g. padded char columns).
const MAX_RATIO = 20;

/**
 * DuckDB settings for the conversion. Memory grows with threads far past `memory_limit` (each
 * thread buffers its own row group and CSV reads: 2 threads peaked ~200 MiB above 1 on 5M pgbench
 * rows), and one thread was as fast there, since conversion already overlaps the next part's
 * extraction. The limit makes DuckDB spill to `temp_directory` rather than grow.
 */
const DUCKDB_THREADS = 1;
const DUCKDB_MEMORY_LIMIT = '128MB';
const MAX_ROW_GROUP_ROWS = 122_880; // DuckDB's default
const MIN_ROW_GROUP_ROWS = 128;
/** CSV bytes per row group; the in-memory size is of the same order. */
const ROW_GROUP_TARGET_BYTES = 8 * 1024 * 1024;

/**
 * Rows per Parquet row group: DuckDB's default unless the rows are wide. A row group is buffered
 * whole before it is written, and (insertion order being kept) DuckDB cannot cap it by bytes, so
 * 122,880 rows of 3 kB would need ~370 MB and fail under DUCKDB_MEMORY_LIMIT.
 */
export function rowGroupSizeFor(part: { bytes: number; rows: number }): number {
  const rowBytes = part.bytes / Math.max(1, part.rows);
  return Math.max(
    MIN_ROW_GROUP_ROWS,
    Math.min(MAX_ROW_GROUP_ROWS, Math.floor(ROW_GROUP_TARGET_BYTES / rowBytes)),
  );
}

async function openDuckdb(dir: string): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(DUCKDB_THREADS),
    memory_limit: DUCKDB_MEMORY_LIMIT,
    temp_directory: join(dir, '.duckdb-tmp'),
  });
  return { instance, connection: await instance.connect() };
}

/**
 * Parquet's INTERVAL type holds neither negative values nor microseconds, so interval columns are
 * written as DuckDB interval strings (`1 year 2 months -3 days 04:05:06.000789`), which cast back
 * to INTERVAL exactly.
 */
function parquetSelect(select: string, columns: EncodeColumn[]): string {
  const intervals = columns.filter((c) => c.type === 'interval').map((c) => quoteDuckdbIdent(c.name));
  if (intervals.length === 0) return select;
  return `SELECT * REPLACE (${intervals.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(', ')}) FROM (${select})`;
}

/** Converts one temporary CSV to `part-NNNNN.parquet`; the row count must match the splitter's. */
async function convertPart(
  db: DuckDBConnection,
  tmp: TempCsv,
  columns: EncodeColumn[],
  dir: string,
  created: CreatedFiles,
): Promise<WrittenFile> {
  const name = partName(tmp.index, 'parquet');
  const finalPath = join(dir, name);
  const partialPath = `${finalPath}.partial`;
  created.add(partialPath, finalPath);
  const select = parquetSelect(
    duckdbReadCsvSql(tmp.paths, columns, { parallel: !tmp.quotedNewlines }),
    columns,
  );
  const rowGroupSize = rowGroupSizeFor(tmp);
  const sql = `COPY (${select}) TO ${quoteDuckdbString(partialPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroupSize})`;
  let rows: number;
  try {
    rows = (await db.runAndReadAll(sql)).rowsChanged;
  } catch (thrown) {
    const message = coerceError(thrown).message.split('\n')[0] ?? '';
    throw new TerminalError('INTERNAL', `${name}: DuckDB could not convert the CSV to Parquet: ${message}`, {
      step: 'extract',
    });
  }
  if (rows !== tmp.rows) {
    throw new TerminalError(
      'INTEGRITY_ERROR',
      `${name}: DuckDB wrote ${rows} rows but the CSV had ${tmp.rows}`,
      { step: 'extract' },
    );
  }
  for (const path of tmp.paths) {
    await rm(path, { force: true });
    created.forget(path);
  }
  const { size } = await stat(partialPath);
  const sha256 = await sha256File(partialPath);
  await rename(partialPath, finalPath);
  return { localPath: finalPath, name, rows, bytes: size, sha256 };
}

type ParquetRun = {
  options: PartWriterOptions;
  db: DuckDBConnection;
  created: CreatedFiles;
  files: WrittenFile[];
  tmp: TempCsv | undefined;
  /** The conversion running while the next temporary CSV is written. */
  converting: Promise<void> | undefined;
  ratio: number;
  parts: number;
};

/** Closes the current temporary CSV and starts its conversion once the previous one is done. */
async function rollPart(run: ParquetRun, tmp: TempCsv): Promise<void> {
  run.tmp = undefined;
  await tmp.close();
  await run.converting;
  const conversion = convertPart(run.db, tmp, run.options.columns, run.options.dir, run.created).then(
    (file) => {
      run.files.push(file);
      run.ratio = Math.min(MAX_RATIO, Math.max(1, tmp.bytes / Math.max(1, file.bytes)));
      run.options.onProgress?.({ rows: 0, bytes: file.bytes, files: 1 });
    },
  );
  conversion.catch(() => undefined);
  run.converting = conversion;
}

function openTemp(run: ParquetRun, header: Buffer): TempCsv {
  checkHeader(header, run.options.columns);
  run.parts += 1;
  return new TempCsv(run.options.dir, run.parts, header, (path) => run.created.add(path));
}

async function writeAll(run: ParquetRun): Promise<void> {
  const { options } = run;
  const target = () => options.fileSizeBytes * run.ratio;
  const splitter = new CsvRowSplitter(pieceBytesFor(options.fileSizeBytes * INITIAL_RATIO));
  for await (const piece of csvPieces(options.input, splitter)) {
    const tmp = run.tmp ?? (run.tmp = openTemp(run, splitter.header ?? Buffer.alloc(0)));
    await tmp.write(piece.buffers, piece.bytes, piece.rows);
    options.onProgress?.({ rows: piece.rows, bytes: 0, files: 0 });
    if (piece.quotedNewlines > 0) tmp.quotedNewlines = true;
    if (tmp.bytes >= target()) await rollPart(run, tmp);
  }
  if (splitter.header === undefined) throw missingHeader();
  // A source without rows still yields one (empty) part, so loaders see the columns.
  const last = run.tmp ?? (run.parts === 0 ? openTemp(run, splitter.header) : undefined);
  if (last) await rollPart(run, last);
  await run.converting;
}

/**
 * Parquet parts (`part-00001.parquet`, …, zstd): the input is cut into temporary CSV files of about
 * `fileSizeBytes` × the observed compression ratio, and DuckDB converts each with the interchange
 * casts of duckdbReadCsvSql. On failure or abort every file is deleted and the promise rejects.
 */
export const writeParquetParts: PartWriter = async (options) => {
  if (options.columns.length === 0)
    throw new TerminalError('INTERNAL', 'writeParquetParts needs the column types', { step: 'extract' });
  await mkdir(options.dir, { recursive: true });
  const { instance, connection } = await openDuckdb(options.dir);
  const run: ParquetRun = {
    options,
    db: connection,
    created: new CreatedFiles(),
    files: [],
    tmp: undefined,
    converting: undefined,
    ratio: INITIAL_RATIO,
    parts: 0,
  };
  const interrupt = () => connection.interrupt();
  options.signal.addEventListener('abort', interrupt, { once: true });
  addAbortSignal(options.signal, options.input);
  try {
    await writeAll(run);
    return run.files;
  } catch (thrown) {
    options.input.destroy();
    await run.tmp?.destroy();
    await run.converting?.catch(() => undefined);
    await run.created.removeAll();
    throw writerFailure(thrown, options.signal);
  } finally {
    options.signal.removeEventListener('abort', interrupt);
    connection.closeSync();
    instance.closeSync();
    await rm(join(options.dir, '.duckdb-tmp'), { recursive: true, force: true });
  }
};
