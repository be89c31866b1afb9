import { access } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DuckdbTarget } from './description.js';
import { TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { DestinationConnector, LoadRequest, RunContext, StageConnector } from '../../core/types.js';
import { loadingParts, wrapDuckdbError } from './errors.js';
import { inFetchFolder, stageFetcher, type PartFetcher } from './fetch-parts.js';
import { executor, runLoad, tableExistsIn, type LoadPlan } from './load.js';
import { rowGroupRowsForParts, rowGroupRowsForStaged } from './row-groups.js';
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

/** Local paths of every part when the stage has them all (a local stage), else undefined. */
function localPaths(request: LoadRequest, stage: StageConnector): string[] | undefined {
  const paths = request.files.map((f) => f.localPath ?? stage.localPath(f.relPath));
  return paths.every((p) => p !== undefined) ? paths : undefined;
}

/** Parts read in place (`paths`) or fetched one at a time from a remote stage (`fetcher`). */
type PartSource = { paths: string[]; fetcher?: PartFetcher };

function planLoad(request: LoadRequest, parts: PartSource, memoryLimit: string): LoadPlan {
  return {
    target: parseTableName(request.table),
    label: request.table,
    mode: request.mode,
    columns: request.columns,
    format: request.format,
    ...parts,
    expectedRows: request.files.reduce((sum, f) => sum + f.rows, 0),
    jobId: request.jobId,
    memoryLimit,
  };
}

async function rowGroupRowsFor(request: LoadRequest, plan: LoadPlan): Promise<number> {
  if (!plan.fetcher) return rowGroupRowsForParts(plan.paths, plan.expectedRows);
  const staged = request.files.reduce((sum, f) => sum + (f.bytes ?? 0), 0);
  return rowGroupRowsForStaged(staged, plan.expectedRows);
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
      throw wrapDuckdbError(err, typeof action === 'string' ? action : action(err), conn.memory_limit);
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
      const loadPlanned = async (plan: LoadPlan): Promise<{ rows: number }> => {
        const rowGroupRows = await rowGroupRowsFor(request, plan);
        log.info('duckdb load starting', {
          table: request.table,
          mode: request.mode,
          format: request.format,
          files: request.files.length,
          fetched_from: plan.fetcher ? stage.kind : undefined,
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
      };
      const paths = localPaths(request, stage);
      if (paths) return loadPlanned(planLoad(request, { paths }, conn.memory_limit));
      // A remote stage: parts are fetched into the job's work folder (else one next to the file).
      return inFetchFolder(request.workDir ?? path.dirname(file), (folder) =>
        loadPlanned(
          planLoad(
            request,
            { paths: [], fetcher: stageFetcher(stage, request.files, folder) },
            conn.memory_limit,
          ),
        ),
      );
    },

    validationEndpoint() {
      return createDuckdbValidationEndpoint(
        file,
        (signal, fn) =>
          withDuckdb(
            file,
            { lockTimeoutMs, readOnly: true, memoryLimit: conn.memory_limit, signal, logger: log },
            fn,
          ),
        conn.memory_limit,
      );
    },

    // Nothing stays open between operations.
    close: () => Promise.resolve(),
  };
}
