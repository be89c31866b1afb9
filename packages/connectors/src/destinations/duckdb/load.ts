import type { DuckDBConnection } from '@duckdb/node-api';
import type { FileFormat, LoadMode } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { quoteDuckdbIdent } from '@dxa/files';
import type { Column } from '../../core/types.js';
import { wrapDuckdbError } from './errors.js';
import type { PartFetcher } from './fetch-parts.js';
import { abortError } from './session.js';
import {
  createSchemaSql,
  createTableSql,
  insertSql,
  qualified,
  readFilesSql,
  scratchName,
  tableLookupSql,
  type TableName,
} from './sql.js';

export type LoadPlan = {
  target: TableName;
  /** The table as the job names it, for messages. */
  label: string;
  mode: LoadMode;
  columns: Column[];
  format: FileFormat;
  /** Parts read in place, all in one statement; empty when `fetcher` brings them one at a time. */
  paths: string[];
  fetcher?: PartFetcher;
  expectedRows: number;
  jobId: string;
  /** The connection's memory_limit, named when DuckDB runs out of it. */
  memoryLimit?: string;
};

/** Runs statements one at a time, refusing to start another once the job is aborted. */
type Exec = (sql: string, params?: string[]) => Promise<{ rowsChanged: number; firstValue: unknown }>;

export function executor(conn: DuckDBConnection, signal: AbortSignal): Exec {
  return async (sql, params) => {
    if (signal.aborted) throw abortError(signal);
    const reader = await conn.runAndReadAll(sql, params);
    return { rowsChanged: reader.rowsChanged, firstValue: reader.getRows()[0]?.[0] };
  };
}

export async function tableExistsIn(exec: Exec, name: TableName): Promise<boolean> {
  const lookup = tableLookupSql(name);
  const { firstValue } = await exec(lookup.sql, lookup.params);
  return Number(firstValue) > 0;
}

async function insertInPlace(exec: Exec, into: TableName, plan: LoadPlan): Promise<number> {
  if (plan.paths.length === 0) return 0;
  const { rowsChanged } = await exec(
    insertSql(into, plan.columns, readFilesSql(plan.format, plan.paths, plan.columns)),
  );
  return rowsChanged;
}

/** Fetches, inserts and deletes one part at a time, so the disk holds one part at most. */
async function insertFetched(
  exec: Exec,
  into: TableName,
  plan: LoadPlan,
  fetcher: PartFetcher,
  signal: AbortSignal,
): Promise<number> {
  let rows = 0;
  for (const part of fetcher.parts) {
    const local = await fetcher.fetch(part, signal);
    try {
      const { rowsChanged } = await exec(
        insertSql(into, plan.columns, readFilesSql(plan.format, [local], plan.columns)),
      );
      if (rowsChanged !== part.rows) {
        throw new TerminalError(
          'INTEGRITY_ERROR',
          `loading ${plan.label}: ${fetcher.describe(part)} holds ${rowsChanged} rows but the manifest says ${part.rows}`,
        );
      }
      rows += rowsChanged;
    } catch (err) {
      if (signal.aborted) throw abortError(signal);
      throw wrapDuckdbError(
        err,
        `loading ${fetcher.describe(part)} into ${plan.label} in DuckDB`,
        plan.memoryLimit,
      );
    } finally {
      await fetcher.release(local);
    }
  }
  return rows;
}

async function insertFiles(
  exec: Exec,
  into: TableName,
  plan: LoadPlan,
  signal: AbortSignal,
): Promise<number> {
  const rowsChanged = plan.fetcher
    ? await insertFetched(exec, into, plan, plan.fetcher, signal)
    : await insertInPlace(exec, into, plan);
  if (rowsChanged !== plan.expectedRows) {
    throw new TerminalError(
      'INTEGRITY_ERROR',
      `loading ${plan.label}: the staged files hold ${rowsChanged} rows but their manifest says ${plan.expectedRows}`,
    );
  }
  return rowsChanged;
}

/** replace: fill a scratch table, then drop the old table and rename the scratch into place. */
async function replaceTable(
  exec: Exec,
  plan: LoadPlan,
  exists: boolean,
  signal: AbortSignal,
): Promise<number> {
  const scratch = scratchName(plan.target, plan.jobId);
  await exec(createTableSql(scratch, plan.columns));
  const rows = await insertFiles(exec, scratch, plan, signal);
  if (exists) await exec(`DROP TABLE ${qualified(plan.target)}`);
  await exec(`ALTER TABLE ${qualified(scratch)} RENAME TO ${quoteDuckdbIdent(plan.target.table)}`);
  return rows;
}

async function loadInTransaction(exec: Exec, plan: LoadPlan, signal: AbortSignal): Promise<number> {
  const schemaSql = createSchemaSql(plan.target);
  if (schemaSql) await exec(schemaSql);
  const exists = await tableExistsIn(exec, plan.target);
  switch (plan.mode) {
    case 'create':
      if (exists)
        throw new TerminalError(
          'TARGET_EXISTS',
          `table ${plan.label} already exists and the mode is "create"`,
        );
      await exec(createTableSql(plan.target, plan.columns));
      return insertFiles(exec, plan.target, plan, signal);
    case 'replace':
      return replaceTable(exec, plan, exists, signal);
    case 'append':
    case 'truncate':
      // The target keeps its own definition; it is created only when missing.
      if (!exists) await exec(createTableSql(plan.target, plan.columns));
      else if (plan.mode === 'truncate') await exec(`DELETE FROM ${qualified(plan.target)}`);
      return insertFiles(exec, plan.target, plan, signal);
  }
}

/**
 * Loads all-or-nothing in one transaction: on failure or abort everything rolls back, so the
 * previous table is untouched and no scratch table stays behind. The file lock is held
 * throughout, so no other process can change the target between the existence check and commit.
 */
export async function runLoad(conn: DuckDBConnection, plan: LoadPlan, signal: AbortSignal): Promise<number> {
  const exec = executor(conn, signal);
  // A retry of the job starts clean even if an earlier attempt left its scratch table behind.
  await exec(`DROP TABLE IF EXISTS ${qualified(scratchName(plan.target, plan.jobId))}`);
  await exec('BEGIN TRANSACTION');
  try {
    const rows = await loadInTransaction(exec, plan, signal);
    await exec('COMMIT');
    return rows;
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    if (signal.aborted) throw abortError(signal);
    throw err;
  }
}
