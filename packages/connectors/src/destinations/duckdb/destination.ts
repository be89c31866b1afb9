import { access } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DuckdbTarget } from './description.js';
import { TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { DestinationConnector, LoadRequest, RunContext, StageConnector } from '../../core/types.js';
import { loadingParts, wrapDuckdbError } from './errors.js';
import { executor, runLoad, tableExistsIn, type LoadPlan } from './load.js';
import { rowGroupRowsForParts } from './row-groups.js';
import { abortError, withDuckdb } from './session.js';
import { parseTableName, qualified } from './sql.js';
import { createDuckdbValidationEndpoint } from './validation-endpoint.js';

export type DuckdbDestinationOptions = {
  /** How long an operation waits for another process to release the file (default 60 s). */
  lockTimeoutMs?: number;
};

const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

async function fileExists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function planLoad(request: LoadRequest, stage: StageConnector): LoadPlan {
  const paths = request.files.map((f) => {
    const local = f.localPath ?? stage.localPath(f.relPath);
    if (local === undefined) {
      throw new TerminalError(
        'LOAD_ERROR',
        `DuckDB loads only from a local stage; the ${stage.kind} stage has no local copy of ${stage.describe(f.relPath)}`,
      );
    }
    return local;
  });
  return {
    target: parseTableName(request.table),
    label: request.table,
    mode: request.mode,
    columns: request.columns,
    format: request.format,
    paths,
    expectedRows: request.files.reduce((sum, f) => sum + f.rows, 0),
    jobId: request.jobId,
  };
}

export function createDuckdbDestination(
  conn: DuckdbTarget,
  logger: Logger,
  options: DuckdbDestinationOptions = {},
): DestinationConnector {
  const file = path.resolve(conn.path);
  const log = logger.child({ connector: 'duckdb' });
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;

  const session = <T>(
    ctx: RunContext,
    readOnly: boolean,
    /** Names the work in errors; a function may look at the error (a load names the part). */
    action: string | ((err: unknown) => string),
    fn: (c: DuckDBConnection) => Promise<T>,
    /** Rows per row group for a session that writes rows. */
    rowGroupRows?: number,
  ): Promise<T> =>
    withDuckdb(
      file,
      {
        lockTimeoutMs,
        readOnly,
        memoryLimit: conn.memory_limit,
        rowGroupRows,
        signal: ctx.signal,
        logger: log,
      },
      fn,
    ).catch((err: unknown) => {
      // Whatever broke after an abort (usually the interrupted statement) is the abort.
      if (ctx.signal.aborted) throw abortError(ctx.signal);
      throw wrapDuckdbError(err, typeof action === 'string' ? action : action(err));
    });

  return {
    kind: 'duckdb',

    async check(ctx) {
      await session(ctx, false, 'checking the DuckDB database', async (c) => {
        await c.run('SELECT 1');
      });
    },

    async tableExists(table, ctx) {
      const name = parseTableName(table);
      if (!(await fileExists(file))) return false;
      return session(ctx, true, `looking up ${table} in DuckDB`, (c) =>
        tableExistsIn(executor(c, ctx.signal), name),
      );
    },

    async count(table, ctx) {
      const name = parseTableName(table);
      if (!(await fileExists(file)))
        throw new TerminalError(
          'LOAD_ERROR',
          `table ${table} does not exist: the DuckDB database has not been created`,
        );
      const value = await session(ctx, true, `counting the rows of ${table} in DuckDB`, async (c) => {
        const { firstValue } = await executor(c, ctx.signal)(`SELECT count(*) FROM ${qualified(name)}`);
        return firstValue;
      });
      return Number(value);
    },

    async load(request, stage, ctx) {
      const plan = planLoad(request, stage);
      const rowGroupRows = await rowGroupRowsForParts(plan.paths, plan.expectedRows);
      log.info('duckdb load starting', {
        table: request.table,
        mode: request.mode,
        format: request.format,
        files: plan.paths.length,
        row_group_rows: rowGroupRows,
      });
      const rows = await session(
        ctx,
        false,
        (err) => loadingParts(request.table, plan.paths, err),
        (c) => runLoad(c, plan, ctx.signal),
        rowGroupRows,
      );
      log.info('duckdb load committed', { table: request.table, mode: request.mode, rows });
      return { rows };
    },

    validationEndpoint() {
      return createDuckdbValidationEndpoint(file, (signal, fn) =>
        withDuckdb(
          file,
          { lockTimeoutMs, readOnly: true, memoryLimit: conn.memory_limit, signal, logger: log },
          fn,
        ),
      );
    },

    // Nothing stays open between operations.
    close: () => Promise.resolve(),
  };
}
