import pg from 'pg';
import type { Pool, PoolClient, PoolConfig } from 'pg';

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

/**
 * Runs `fn` on a client checked out of `pool`. Aborting `signal` cancels the running statement
 * server-side (and waits for that before returning). A checked-out client has no pool listener, so
 * a dropped connection (a COPY still writing: EPIPE) would be an uncaught 'error' that ends the
 * process: `onConnectionError` takes it and the failing query reports it. After a failure the
 * connection is destroyed, not reused, so no open transaction or half-done load lingers.
 */
export async function withPooledClient<T>(
  pool: Pool,
  config: PoolConfig,
  signal: AbortSignal,
  fn: (client: PoolClient) => Promise<T>,
  onConnectionError: (err: Error) => void = () => undefined,
): Promise<T> {
  let client: PoolClient | undefined;
  const cancelling: Promise<unknown>[] = [];
  const onAbort = () => {
    const pid = (client as unknown as { processID?: unknown } | undefined)?.processID;
    if (typeof pid === 'number') cancelling.push(cancelBackend(config, pid));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  let failed = false;
  try {
    client = await pool.connect();
    client.on('error', onConnectionError);
    signal.throwIfAborted();
    return await fn(client);
  } catch (thrown) {
    failed = true;
    throw thrown;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await Promise.all(cancelling);
    client?.release(failed ? true : undefined);
    client?.off('error', onConnectionError);
  }
}
