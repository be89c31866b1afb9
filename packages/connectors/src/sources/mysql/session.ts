import type { Connection as CoreConnection } from 'mysql2';
import mysql from 'mysql2/promise';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2/promise';
import type { SqlEngine } from '../../core/sql-kit/engine.js';
import { mysqlErrorSpelling } from './errors.js';

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

/** The callback API's connection under a promise one: its events are the socket's. */
export function coreConnection(conn: PoolConnection): CoreConnection {
  return conn.connection as unknown as CoreConnection;
}

/** The kit's view of mysql2: pooled connections, COMMIT, KILL CONNECTION, server error numbers. */
export function mysqlEngine(pool: Pool, options: PoolOptions): SqlEngine<PoolConnection> {
  return {
    acquire: () => pool.getConnection(),
    release: (conn) => conn.release(),
    discard: (conn) => conn.destroy(),
    commit: (conn) => conn.query('COMMIT'),
    cancel: (conn) => killThread(options, conn.threadId),
    // The pool listens to a connection's first error only.
    listen(conn, onError) {
      const core = coreConnection(conn);
      core.on('error', onError);
      return () => core.off('error', onError);
    },
    errors: mysqlErrorSpelling,
  };
}
