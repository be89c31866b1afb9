import mysql from 'mysql2/promise';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2/promise';

const KILL_TIMEOUT_MS = 5_000;

/**
 * Fixes what changes how values are written (UTC for TIMESTAMP; utf8mb4 comes from the pool's
 * charset) and opens one read-only snapshot, so an extract sees one moment and cannot write.
 */
export async function beginSnapshot(conn: PoolConnection): Promise<void> {
  await conn.query("SET time_zone = '+00:00'");
  await conn.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
}

/**
 * Kills the server thread `threadId` from a separate connection (the busy one cannot send). KILL
 * CONNECTION, not KILL QUERY: a thread blocked writing to a paused client would only notice a
 * killed query at its next network timeout. Called while our socket to that thread is still open,
 * so the id cannot have been reused. Best effort: failures are returned, not thrown.
 */
export async function killThread(options: PoolOptions, threadId: number): Promise<Error | undefined> {
  let killer: mysql.Connection | undefined;
  try {
    killer = await mysql.createConnection({ ...options, connectTimeout: KILL_TIMEOUT_MS });
    await killer.query({ sql: `KILL CONNECTION ${Math.trunc(threadId)}`, timeout: KILL_TIMEOUT_MS });
    return undefined;
  } catch (thrown) {
    // Already gone (ER_NO_SUCH_THREAD) is what we wanted.
    if ((thrown as { errno?: unknown }).errno === 1094) return undefined;
    return thrown instanceof Error ? thrown : new Error(String(thrown));
  } finally {
    killer?.destroy();
  }
}

/**
 * Runs `fn` in a read-only snapshot on a pooled connection. Aborting kills the server thread and
 * waits for that before returning. After a failure the connection is destroyed, not reused, so no
 * open transaction lingers.
 */
export async function withSnapshot<T>(
  pool: Pool,
  options: PoolOptions,
  signal: AbortSignal,
  fn: (conn: PoolConnection) => Promise<T>,
): Promise<T> {
  let conn: PoolConnection | undefined;
  const killing: Promise<unknown>[] = [];
  const onAbort = () => {
    if (conn) killing.push(killThread(options, conn.threadId));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  let failed = false;
  try {
    conn = await pool.getConnection();
    signal.throwIfAborted();
    await beginSnapshot(conn);
    const result = await fn(conn);
    await conn.query('COMMIT');
    return result;
  } catch (thrown) {
    failed = true;
    throw thrown;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await Promise.all(killing);
    if (failed) conn?.destroy();
    else conn?.release();
  }
}
