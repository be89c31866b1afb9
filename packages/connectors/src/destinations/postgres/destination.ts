import pg from 'pg';
import type { PoolClient } from 'pg';
import type { PostgresConnection } from '../../sources/postgres/description.js';
import { CancelledError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { DestinationConnector, LoadRequest, RunContext } from '../../core/types.js';
import { poolConfig } from '../../sources/postgres/config.js';
import { withPooledClient } from '../../sources/postgres/session.js';
import { createPgValidationEndpoint, pgEndpointLabel } from '../../sources/postgres/validation-endpoint.js';
import { wrapLoadError } from './errors.js';
import { loadingPart, partName, runLoad, tableExistsIn, type LoadPlan } from './load.js';
import { parseTableName, qualified } from './sql.js';

/** The error to surface once the signal has fired: its reason when it is an Error. */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name !== 'AbortError'
    ? reason
    : new CancelledError('the load was cancelled', { step: 'load' });
}

function planLoad(request: LoadRequest): LoadPlan {
  return {
    target: parseTableName(request.table),
    label: request.table,
    mode: request.mode,
    columns: request.columns,
    format: request.format,
    files: request.files,
    expectedRows: request.files.reduce((sum, f) => sum + f.rows, 0),
    jobId: request.jobId,
  };
}

/**
 * PostgreSQL target: DDL from the engine-neutral column types and `COPY … FROM STDIN` of the
 * staged parts (Parquet rewritten as CSV by DuckDB first), all in one transaction per load.
 */
export function createPostgresDestination(conn: PostgresConnection, logger: Logger): DestinationConnector {
  const config = poolConfig(conn);
  const pool = new pg.Pool(config);
  const log = logger.child({ connector: 'postgresql', host: conn.host, database: conn.database });
  // Idle clients can fail (server restart); the pool drops them, we only log.
  pool.on('error', (err) => log.warn('idle PostgreSQL connection failed', { error: err.message }));
  let closing: Promise<void> | undefined;
  const wrap = (thrown: unknown, what: string, signal: AbortSignal): Error =>
    signal.aborted ? abortError(signal) : wrapLoadError(thrown, what, conn.password, signal);

  /**
   * Runs `fn` on a pooled client; aborting cancels its statement; a failure discards the client.
   * `what` names the work in errors; a function is asked at failure time (a load names its part).
   */
  async function session<T>(
    what: string | (() => string),
    ctx: RunContext,
    fn: (client: PoolClient) => Promise<T>,
  ): Promise<T> {
    if (ctx.signal.aborted) throw abortError(ctx.signal);
    try {
      return await withPooledClient(pool, config, ctx.signal, fn, (err) =>
        log.debug('PostgreSQL connection failed', { error: err.message }),
      );
    } catch (thrown) {
      throw wrap(thrown, typeof what === 'string' ? what : what(), ctx.signal);
    }
  }

  return {
    kind: 'postgresql',

    async check(ctx) {
      await session('check connection', ctx, (client) => client.query('SELECT 1'));
    },

    async tableExists(table, ctx) {
      const name = parseTableName(table);
      return session(`look up ${table}`, ctx, (client) => tableExistsIn(client, name));
    },

    async count(table, ctx) {
      const name = parseTableName(table);
      const n = await session(`count the rows of ${table}`, ctx, async (client) => {
        const { rows } = await client.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM ${qualified(name)}`,
        );
        return rows[0]?.n;
      });
      return Number(n ?? 0);
    },

    async load(request, stage, ctx) {
      const plan = planLoad(request);
      log.info('postgresql load starting', {
        table: request.table,
        mode: request.mode,
        format: request.format,
        files: request.files.length,
      });
      // Until the first part starts, a failure (target down) names the part the load was about to read.
      const first = request.files[0];
      let part = first === undefined ? undefined : partName(first.relPath);
      const what = () => (part === undefined ? `load ${request.table}` : loadingPart(part, request.table));
      const onPart = (name: string | undefined) => {
        part = name;
      };
      const rows = await session(what, ctx, (client) =>
        runLoad(
          { client, stage, ctx, onPart, wrap: (thrown, doing) => wrap(thrown, doing, ctx.signal) },
          plan,
        ),
      );
      log.info('postgresql load committed', { table: request.table, mode: request.mode, rows });
      return { rows };
    },

    validationEndpoint() {
      return createPgValidationEndpoint({
        pool,
        config,
        password: conn.password,
        label: pgEndpointLabel(conn),
        // The destination creates its tables with every part quoted.
        names: 'exact',
      });
    },

    // Safe to call again: pg's pool refuses a second end().
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
