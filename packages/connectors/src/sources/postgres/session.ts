import pg from 'pg';
import type { Pool, PoolClient, PoolConfig } from 'pg';
import type { SqlEngine } from '../../core/sql-kit/engine.js';
import { withConnection } from '../../core/sql-kit/session.js';
import { pgErrorSpelling } from './errors.js';

/**
 * Starts a read-only snapshot and fixes every setting that changes how values are written, so the
 * CSV is the interchange dialect whatever the server or role defaults are (one round trip).
 */
export const BEGIN_EXTRACT = [
  'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 3',
  "SET LOCAL bytea_output = 'hex'",
  "SET LOCAL client_encoding = 'UTF8'",
].join('; ');

/** For catalog reads and counts: read-only, so a user query cannot write. */
export const BEGIN_READ_ONLY = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

const CANCEL_TIMEOUT_MS = 5_000;

/**
 * Cancels the statement running on backend `pid` from a separate connection (the busy one cannot
 * be used). Called while our socket to that backend is still open, so the pid cannot have been
 * reused by another session. Best effort: failures are returned, not thrown.
 */
export async function cancelBackend(config: PoolConfig, pid: number): Promise<Error | undefined> {
  const client = new pg.Client({
    ...config,
    connectionTimeoutMillis: CANCEL_TIMEOUT_MS,
    statement_timeout: CANCEL_TIMEOUT_MS,
    application_name: 'dxa-cancel',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT pg_catalog.pg_cancel_backend($1)', [pid]);
    return undefined;
  } catch (thrown) {
    return thrown instanceof Error ? thrown : new Error(String(thrown));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The kit's view of node-postgres: pooled clients, COMMIT, pg_cancel_backend, SQLSTATE errors. */
export function pgEngine(pool: Pool, config: PoolConfig): SqlEngine<PoolClient> {
  return {
    acquire: () => pool.connect(),
    release: (client) => client.release(),
    discard: (client) => client.release(true),
    commit: (client) => client.query('COMMIT'),
    cancel(client) {
      const pid = (client as unknown as { processID?: unknown }).processID;
      return typeof pid === 'number' ? cancelBackend(config, pid) : Promise.resolve(undefined);
    },
    // A checked-out client has no pool listener: a dropped connection would be an uncaught 'error'.
    listen(client, onError) {
      client.on('error', onError);
      return () => client.off('error', onError);
    },
    errors: pgErrorSpelling,
  };
}

/**
 * Runs `fn` on a client checked out of `pool` (see withConnection): aborting cancels the running
 * statement server-side, a failure destroys the client, `onConnectionError` hears a dropped
 * connection (a COPY still writing: EPIPE) that the failing query reports.
 */
export function withPooledClient<T>(
  pool: Pool,
  config: PoolConfig,
  signal: AbortSignal,
  fn: (client: PoolClient) => Promise<T>,
  onConnectionError?: (err: Error) => void,
): Promise<T> {
  return withConnection(pgEngine(pool, config), signal, fn, onConnectionError);
}
