import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { compilationError, objectMissing, remoteFileMissing, unsupported } from './errors.js';
import { qualifiedSql } from './engine.js';
import {
  csvInsertSql,
  fileFormatFrom,
  parquetInsertSql,
  type FileFormat,
  type TableColumn,
} from './file-formats.js';
import { displayName, readQualifiedName, tableName } from './names.js';
import { booleanOption, nestedOptions, onlyKnown, parseOptions, scalar, stringList } from './options.js';
import { column, literalRows, STATEMENT_TYPE, statusResult, type StatementResult } from './results.js';
import { inStatementTransaction, loadedMd5, type HistoryChange } from './session.js';
import { duckLiteral, isWord, type Token } from './sql-text.js';
import { joinKey, type ResolvedStage } from './stage-paths.js';
import { storeFor } from './stage-store.js';
import { fileDisplayName, fileHistoryKey, resolveStage, stageRefFrom } from './stages.js';
import type { StatementContext } from './state.js';

const COPY_OPTIONS = ['FILES', 'FILE_FORMAT', 'MATCH_BY_COLUMN_NAME', 'ON_ERROR', 'FORCE'];

const RESULT_COLUMNS = [
  column('file', 'text', { nullable: false }),
  column('status', 'text', { nullable: false }),
  column('rows_parsed', 'fixed'),
  column('rows_loaded', 'fixed'),
  column('error_limit', 'fixed'),
  column('errors_seen', 'fixed'),
  column('first_error', 'text'),
  column('first_error_line', 'fixed'),
  column('first_error_character', 'fixed'),
  column('first_error_column_name', 'text'),
];

type LocalFile = { rel: string; label: string; historyKey: string; file: string; md5: string };

/** Every named file, fetched to a local path (external stages: downloaded into `scratch`). */
async function fetchFiles(
  ctx: StatementContext,
  stage: ResolvedStage,
  rels: string[],
  scratch: string,
): Promise<LocalFile[]> {
  const store = storeFor(stage.definition, ctx.state.options);
  const files: LocalFile[] = [];
  for (const rel of [...new Set(rels)]) {
    const label = fileDisplayName(stage, rel);
    const fetched = await store.fetch(rel, scratch);
    if (!fetched) throw remoteFileMissing(label);
    files.push({ rel, label, historyKey: fileHistoryKey(stage, rel), ...fetched });
  }
  return files;
}

async function parquetColumns(ctx: StatementContext, file: string): Promise<string[]> {
  const reader = await ctx.session.conn.runAndReadAll(
    `DESCRIBE SELECT * FROM read_parquet(${duckLiteral(file)})`,
  );
  return reader.getRows().map((row) => String(row[0]));
}

async function loadFile(
  ctx: StatementContext,
  table: string,
  columns: TableColumn[],
  format: FileFormat,
  file: LocalFile,
): Promise<number> {
  const sql =
    format.type === 'CSV'
      ? csvInsertSql(table, columns, file.file, format)
      : parquetInsertSql(table, columns, await parquetColumns(ctx, file.file), file.file, format, file.label);
  const result = await ctx.session.conn.run(sql);
  return Number(result.rowsChanged);
}

/**
 * `COPY INTO <table> FROM @<stage>/<path>/ [FILES = (…)] FILE_FORMAT = (…) [MATCH_BY_COLUMN_NAME = …]
 * [ON_ERROR = ABORT_STATEMENT] [FORCE = TRUE]`: all files or none, skipping files whose load history
 * (table object + file + content md5) says they were loaded already.
 */
export async function copyInto(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  if (!isWord(tokens[1], 'INTO')) throw unsupported(`COPY ${tokens[1]?.text ?? ''}`);
  const target = readQualifiedName(tokens, 2);
  if (!isWord(tokens[target.next], 'FROM'))
    throw unsupported('COPY INTO with a column list or into a location');
  const ref = stageRefFrom(tokens[target.next + 1]);
  const { options, next } = parseOptions(tokens, target.next + 2);
  if (next !== tokens.length)
    throw compilationError(`syntax error: unexpected '${tokens[next]?.text ?? ''}'`);
  onlyKnown(options, COPY_OPTIONS, 'COPY');
  const onError = scalar(options, 'ON_ERROR')?.toUpperCase() ?? 'ABORT_STATEMENT';
  if (onError !== 'ABORT_STATEMENT') throw unsupported(`ON_ERROR = ${onError}`);
  const fileFormat = nestedOptions(options, 'FILE_FORMAT');
  if (!fileFormat) throw unsupported('COPY without FILE_FORMAT (the default is CSV with backslash escapes)');
  const format = fileFormatFrom(fileFormat, scalar(options, 'MATCH_BY_COLUMN_NAME'));
  const force = booleanOption(options, 'FORCE', false);

  const { engine } = ctx.state;
  const name = tableName(target.parts, ctx.session);
  if (!(await engine.tableExists(ctx.session.conn, name))) throw objectMissing('Table', displayName(name));
  const columns = await engine.columns(ctx.session.conn, name);
  const stage = await resolveStage(ctx, ref);
  const named = stringList(options, 'FILES');
  const rels = named
    ? named.map((f) => joinKey(ref.path, f))
    : (await storeFor(stage.definition, ctx.state.options).list(ref.path)).map((f) => f.rel);

  const scratchRoot = path.join(ctx.state.options.dataDir, 'copy-scratch');
  await mkdir(scratchRoot, { recursive: true });
  const scratch = await mkdtemp(path.join(scratchRoot, 'copy-'));
  try {
    const files = await fetchFiles(ctx, stage, rels, scratch);
    const tableId = engine.tables.idOf(name);
    const rows = await inStatementTransaction(engine, ctx.session, async () => {
      const loaded: (string | number | null)[][] = [];
      const changes: HistoryChange[] = [];
      for (const file of files) {
        if (!force && loadedMd5(engine, ctx.session, tableId, file.historyKey) === file.md5) continue;
        const count = await loadFile(ctx, qualifiedSql(name), columns, format, file);
        loaded.push([file.label, 'LOADED', count, count, 1, 0, null, null, null, null]);
        changes.push({ kind: 'record', tableId, file: file.historyKey, md5: file.md5 });
      }
      return { result: loaded, changes };
    });
    if (rows.length === 0) return statusResult('Copy executed with 0 files processed.', STATEMENT_TYPE.dml);
    return { ...literalRows(RESULT_COLUMNS, rows), statementTypeId: STATEMENT_TYPE.dml };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
