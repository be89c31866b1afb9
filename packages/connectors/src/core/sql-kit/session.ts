import { wrapDriverError } from '../driver-errors.js';
import type { SqlEngine } from './engine.js';

const ignore = (): void => undefined;

/**
 * Runs `fn` on a connection checked out of the engine's pool. Aborting `signal` cancels the running
 * statement on the server (and waits for that before returning). After a failure the connection is
 * discarded, not reused, so no open transaction or half-done statement lingers.
 * `onConnectionError` hears the connection's own errors; the failing statement reports them.
 */
export async function withConnection<C, T>(
  engine: SqlEngine<C>,
  signal: AbortSignal,
  fn: (conn: C) => Promise<T>,
  onConnectionError: (err: Error) => void = ignore,
): Promise<T> {
  let conn: C | undefined;
  let unlisten: (() => void) | undefined;
  const cancelling: Promise<unknown>[] = [];
  const onAbort = () => {
    if (conn !== undefined) cancelling.push(engine.cancel(conn));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  let failed = false;
  try {
    conn = await engine.acquire();
    unlisten = engine.listen?.(conn, onConnectionError);
    signal.throwIfAborted();
    return await fn(conn);
  } catch (thrown) {
    failed = true;
    throw thrown;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await Promise.all(cancelling);
    if (conn !== undefined) {
      if (failed) engine.discard(conn);
      else engine.release(conn);
    }
    unlisten?.();
  }
}

/** Starts the transaction a session reads in (read-only, one snapshot, fixed value settings). */
export type BeginTransaction<C> = (conn: C) => Promise<unknown>;

/** Runs `fn` in a read-only transaction; aborting cancels the statement; errors are job errors. */
export type ReadOnlyRunner<C> = <T>(
  what: string,
  signal: AbortSignal,
  fn: (conn: C) => Promise<T>,
) => Promise<T>;

export type ReadOnlyOptions<C> = {
  begin: BeginTransaction<C>;
  /** The job step errors name (`extract` for a source, `validate` for its validation endpoint). */
  step: string;
  /** Scrubbed from error messages. */
  password: string | undefined;
};

/**
 * The read-only session of a SQL source: a pooled connection, the engine's transaction begun and
 * committed around `fn`, and every driver error wrapped once (classified by the engine's table,
 * `what` in front, the password scrubbed, an abort reported as a cancellation).
 */
export function readOnlyRunner<C>(engine: SqlEngine<C>, options: ReadOnlyOptions<C>): ReadOnlyRunner<C> {
  return async (what, signal, fn) => {
    try {
      signal.throwIfAborted();
      return await withConnection(engine, signal, async (conn) => {
        await options.begin(conn);
        const result = await fn(conn);
        await engine.commit(conn);
        return result;
      });
    } catch (thrown) {
      throw wrapDriverError(
        thrown,
        { step: options.step, what, password: options.password, signal },
        engine.errors,
      );
    }
  };
}
