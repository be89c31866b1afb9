import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import type { FileFormat, LoadMode } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { Column, LoadFile, RunContext, StageConnector } from '../../core/types.js';
import { copyIn, openPart } from './copy-in.js';
import { parquetToCsv } from './parquet.js';
import {
  TABLE_EXISTS_SQL,
  copyFromSql,
  createTableSql,
  qualified,
  quoteIdent,
  scratchName,
  type TableName,
} from './sql.js';

export type LoadPlan = {
  target: TableName;
  /** The table as the job names it, for messages. */
  label: string;
  mode: LoadMode;
  columns: Column[];
  format: FileFormat;
  files: LoadFile[];
  expectedRows: number;
  jobId: string;
};

export type LoadEnv = {
  client: PoolClient;
  stage: StageConnector;
  ctx: RunContext;
  /** Wraps a driver error once, naming what was being done. */
  wrap: (thrown: unknown, what: string) => Error;
  /** Told which part is being loaded (undefined once all are), so any failure can name it. */
  onPart?: (name: string | undefined) => void;
};

/** A staged part's file name, e.g. `part-00002.csv.gz`: what a person looks for in the stage. */
export function partName(relPath: string): string {
  return relPath.slice(relPath.lastIndexOf('/') + 1);
}

/** How load errors name the part being loaded and the table. */
export function loadingPart(name: string, table: string): string {
  return `loading ${name} into ${table}`;
}

/**
 * Fixes the settings that change how input text is read, whatever the server or role defaults
 * are, and opens the one transaction of the load.
 */
const BEGIN_LOAD = [
  'BEGIN',
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  "SET LOCAL client_encoding = 'UTF8'",
].join('; ');

export async function tableExistsIn(client: PoolClient, name: TableName): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>(TABLE_EXISTS_SQL, [qualified(name)]);
  return rows[0]?.found === true;
}

/** A local copy of a Parquet part: in place for a local stage, else downloaded into `tmp`. */
async function localParquet(file: LoadFile, env: LoadEnv, tmp: string): Promise<string> {
  const local = file.localPath ?? env.stage.localPath(file.relPath);
  if (local !== undefined) return local;
  const copy = path.join(tmp, 'part.parquet');
  await pipeline(await env.stage.read(file.relPath, env.ctx), createWriteStream(copy), {
    signal: env.ctx.signal,
  });
  return copy;
}

async function copyPart(env: LoadEnv, sql: string, file: LoadFile, plan: LoadPlan): Promise<number> {
  const where = loadingPart(partName(file.relPath), plan.label);
  if (plan.format === 'csv') {
    try {
      const input = await openPart(file, env.stage, env.ctx);
      return await copyIn(env.client, sql, input, file.relPath.endsWith('.gz'), env.ctx.signal);
    } catch (thrown) {
      throw env.wrap(thrown, where);
    }
  }
  // Parquet: DuckDB rewrites the part as interchange CSV in a temp folder, removed right after.
  const tmp = await mkdtemp(path.join(tmpdir(), 'dxa-pg-load-'));
  try {
    const csv = path.join(tmp, 'part.csv');
    await parquetToCsv(await localParquet(file, env, tmp), plan.columns, csv, env.ctx.signal, where);
    return await copyIn(env.client, sql, createReadStream(csv), false, env.ctx.signal);
  } catch (thrown) {
    throw env.wrap(thrown, where);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function copyFiles(env: LoadEnv, into: TableName, plan: LoadPlan): Promise<number> {
  const sql = copyFromSql(into, plan.columns);
  let rows = 0;
  for (const file of plan.files) {
    env.ctx.signal.throwIfAborted();
    env.onPart?.(partName(file.relPath));
    rows += await copyPart(env, sql, file, plan);
  }
  env.onPart?.(undefined);
  if (rows !== plan.expectedRows) {
    throw new TerminalError(
      'INTEGRITY_ERROR',
      `loading ${plan.label}: the staged files hold ${rows} rows but their manifest says ${plan.expectedRows}`,
      { step: 'load' },
    );
  }
  return rows;
}

/** replace: fill a scratch table, then drop the old table and rename the scratch into place. */
async function replaceTable(env: LoadEnv, plan: LoadPlan, exists: boolean): Promise<number> {
  const scratch = scratchName(plan.target, plan.jobId);
  // A scratch table can only exist if someone created one by hand; a retry starts clean.
  await env.client.query(`DROP TABLE IF EXISTS ${qualified(scratch)}`);
  await env.client.query(createTableSql(scratch, plan.columns));
  const rows = await copyFiles(env, scratch, plan);
  if (exists) await env.client.query(`DROP TABLE ${qualified(plan.target)}`);
  await env.client.query(`ALTER TABLE ${qualified(scratch)} RENAME TO ${quoteIdent(plan.target.table)}`);
  return rows;
}

function targetExists(plan: LoadPlan): TerminalError {
  return new TerminalError('TARGET_EXISTS', `table ${plan.label} already exists and the mode is "create"`, {
    step: 'load',
  });
}

async function loadInTransaction(env: LoadEnv, plan: LoadPlan): Promise<number> {
  const { client } = env;
  if (plan.target.schema !== undefined)
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(plan.target.schema)}`);
  const exists = await tableExistsIn(client, plan.target);
  switch (plan.mode) {
    case 'create':
      if (exists) throw targetExists(plan);
      await client.query(createTableSql(plan.target, plan.columns)).catch((err: unknown) => {
        // Another load created it since the lookup.
        throw (err as { code?: unknown }).code === '42P07' ? targetExists(plan) : err;
      });
      return copyFiles(env, plan.target, plan);
    case 'replace':
      return replaceTable(env, plan, exists);
    case 'append':
    case 'truncate':
      // The target keeps its own definition; it is created only when missing.
      if (!exists) await client.query(createTableSql(plan.target, plan.columns));
      else if (plan.mode === 'truncate') await client.query(`TRUNCATE TABLE ${qualified(plan.target)}`);
      return copyFiles(env, plan.target, plan);
  }
}

/**
 * Loads all-or-nothing in one transaction: on failure or abort everything rolls back, so the
 * previous table is untouched and no scratch table stays behind.
 */
export async function runLoad(env: LoadEnv, plan: LoadPlan): Promise<number> {
  await env.client.query(BEGIN_LOAD);
  try {
    const rows = await loadInTransaction(env, plan);
    env.ctx.signal.throwIfAborted();
    await env.client.query('COMMIT');
    return rows;
  } catch (err) {
    // Best effort: the caller destroys the connection after a failure, which rolls back too.
    await env.client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
