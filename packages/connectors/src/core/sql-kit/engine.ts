import type { DriverErrorSpelling } from '../driver-errors.js';

/**
 * What a SQL source's driver does for the kit (session.ts, streamed-read.ts): check a connection
 * out and back in, end a transaction, cancel the statement running on a connection from a second
 * one, and spell its errors. Everything else a read needs (abort handling, discarding a connection
 * after a failure, waiting for cancels, stream lifetimes, error wrapping) the kit does once.
 */
export type SqlEngine<C> = {
  /** Checks a connection out of the pool. */
  acquire(): Promise<C>;
  /** Hands a healthy connection back (its transaction ended). */
  release(conn: C): void;
  /** Closes a connection that must not be reused: after a failure, or abandoned mid-statement. */
  discard(conn: C): void;
  commit(conn: C): Promise<unknown>;
  /**
   * Stops the statement running on `conn` from a separate connection (the busy one cannot send).
   * Called while `conn` is still open, so the server cannot have reused its id. Best effort: the
   * failure is returned, never thrown.
   */
  cancel(conn: C): Promise<Error | undefined>;
  /**
   * Listens to a checked-out connection's own errors (a dropped socket): unheard, they would end
   * the process. Returns the function that stops listening.
   */
  listen?(conn: C, onError: (err: Error) => void): () => void;
  /** The driver's error table and how messages show its codes (for wrapDriverError). */
  errors: DriverErrorSpelling;
};
