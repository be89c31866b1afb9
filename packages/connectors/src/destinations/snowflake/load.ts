import type { FileFormat, LoadMode } from '@dxa/contracts';
import { TerminalError, TransientError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { Column, RunContext } from '../../core/types.js';
import { createTableSql } from '../../snowflake/column-types.js';
import { throwIfCancelled } from '../../snowflake/errors.js';
import { qualified, scratchName, type TableName } from '../../snowflake/names.js';
import { cleanupContext, type SnowflakeSession } from '../../snowflake/session.js';
import { copyAll, type CopySource } from './copy.js';
import { countRows, tableExistsIn } from './tables.js';

export type LoadPlan = {
  target: TableName;
  mode: LoadMode;
  columns: Column[];
  format: FileFormat;
  expectedRows: number;
  jobId: string;
};

export type LoadEnv = { session: SnowflakeSession; source: CopySource; ctx: RunContext; log: Logger };

function mismatch(plan: LoadPlan, table: TableName, rows: number): TerminalError {
  return new TerminalError(
    'INTEGRITY_ERROR',
    `loading ${qualified(table)}: ${rows} rows from the staged files but their manifest says ${plan.expectedRows}`,
    { step: 'load' },
  );
}

function targetExists(plan: LoadPlan): TerminalError {
  return new TerminalError(
    'TARGET_EXISTS',
    `table ${qualified(plan.target)} already exists and the mode is "create"`,
    {
      step: 'load',
    },
  );
}

async function exec(env: LoadEnv, sql: string, what: string, ctx: RunContext = env.ctx): Promise<void> {
  await env.session.execute(sql, ctx, { what });
}

async function dropQuietly(env: LoadEnv, table: TableName): Promise<void> {
  await exec(
    env,
    `DROP TABLE IF EXISTS ${qualified(table)}`,
    `drop ${qualified(table)}`,
    cleanupContext(),
  ).catch((err: unknown) =>
    env.log.warn('dropping a table after a failed load failed', {
      table: qualified(table),
      error: String(err),
    }),
  );
}

async function copyChecked(env: LoadEnv, plan: LoadPlan, into: TableName): Promise<number> {
  const rows = await copyAll(env.session, into, env.source, plan.format, env.ctx, env.log);
  if (rows !== plan.expectedRows) throw mismatch(plan, into, rows);
  return rows;
}

/** create: a new table; on any failure it is dropped again (DDL is not transactional in Snowflake). */
async function createTable(env: LoadEnv, plan: LoadPlan): Promise<number> {
  if (await tableExistsIn(env.session, plan.target, env.ctx)) throw targetExists(plan);
  try {
    await exec(
      env,
      createTableSql(plan.target, plan.columns, plan.format),
      `create ${qualified(plan.target)}`,
    );
  } catch (err) {
    throw err instanceof TerminalError && err.code === 'TARGET_EXISTS' ? targetExists(plan) : err;
  }
  try {
    const rows = await copyChecked(env, plan, plan.target);
    // A cancel that arrives as the COPY finishes still removes the table.
    throwIfCancelled(env.ctx.signal);
    return rows;
  } catch (err) {
    await dropQuietly(env, plan.target);
    throw err;
  }
}

/** append and truncate: one transaction; the table is created first when missing (and dropped on failure). */
async function intoExisting(env: LoadEnv, plan: LoadPlan): Promise<number> {
  const created = !(await tableExistsIn(env.session, plan.target, env.ctx));
  if (created)
    await exec(
      env,
      createTableSql(plan.target, plan.columns, plan.format, true),
      `create ${qualified(plan.target)}`,
    );
  await exec(env, 'BEGIN', 'begin the load transaction');
  try {
    // TRUNCATE also clears the table's load history, so every file loads again.
    if (plan.mode === 'truncate' && !created)
      await exec(env, `TRUNCATE TABLE ${qualified(plan.target)}`, `truncate ${qualified(plan.target)}`);
    const rows = await copyChecked(env, plan, plan.target);
    throwIfCancelled(env.ctx.signal);
    await exec(env, 'COMMIT', 'commit the load');
    return rows;
  } catch (err) {
    await exec(env, 'ROLLBACK', 'roll back the load', cleanupContext()).catch(() => undefined);
    if (created) await dropQuietly(env, plan.target);
    throw err;
  }
}

/**
 * replace: fill the job's scratch table, check its row count, then swap it with the target (or
 * rename it into place). The scratch keeps its name on a retry, so load history skips the files
 * already in it; it is kept after a transient failure for that retry and dropped otherwise.
 */
async function replaceTable(env: LoadEnv, plan: LoadPlan): Promise<number> {
  const scratch = scratchName(plan.target, plan.jobId);
  const createScratch = () =>
    exec(env, createTableSql(scratch, plan.columns, plan.format, true), `create ${qualified(scratch)}`);
  try {
    await createScratch();
    await copyAll(env.session, scratch, env.source, plan.format, env.ctx, env.log);
    let rows = await countRows(env.session, scratch, env.ctx);
    if (rows !== plan.expectedRows) {
      // A scratch left by an earlier run of this job may hold rows of files that changed since; start afresh.
      env.log.warn('snowflake scratch table does not match the manifest; reloading it', {
        table: qualified(scratch),
        rows,
        expected: plan.expectedRows,
      });
      await exec(env, `DROP TABLE IF EXISTS ${qualified(scratch)}`, `drop ${qualified(scratch)}`);
      await createScratch();
      await copyAll(env.session, scratch, env.source, plan.format, env.ctx, env.log);
      rows = await countRows(env.session, scratch, env.ctx);
      if (rows !== plan.expectedRows) throw mismatch(plan, scratch, rows);
    }
    throwIfCancelled(env.ctx.signal);
    if (await tableExistsIn(env.session, plan.target, env.ctx)) {
      await exec(
        env,
        `ALTER TABLE ${qualified(plan.target)} SWAP WITH ${qualified(scratch)}`,
        `swap ${qualified(plan.target)}`,
      );
      // The scratch name now holds the previous table.
      await dropQuietly(env, scratch);
    } else {
      await exec(
        env,
        `ALTER TABLE ${qualified(scratch)} RENAME TO ${qualified(plan.target)}`,
        `rename into ${qualified(plan.target)}`,
      );
    }
    return rows;
  } catch (err) {
    if (!(err instanceof TransientError)) await dropQuietly(env, scratch);
    throw err;
  }
}

export function runLoad(env: LoadEnv, plan: LoadPlan): Promise<number> {
  switch (plan.mode) {
    case 'create':
      return createTable(env, plan);
    case 'append':
    case 'truncate':
      return intoExisting(env, plan);
    case 'replace':
      return replaceTable(env, plan);
  }
}
