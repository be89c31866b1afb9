import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CancelledError, TransientError } from '@dxa/errors';
import { quoteDuckdbIdent, quoteDuckdbString } from '@dxa/files';
import type { Logger } from '@dxa/logger';
import { DUCKDB_LOCK_ERROR } from './description.js';
import { sessionConfig } from './session-config.js';

export type SessionOptions = {
  /** How long to keep retrying while another process holds the database file. */
  lockTimeoutMs: number;
  readOnly?: boolean;
  /** DuckDB `memory_limit`, e.g. "256MB". */
  memoryLimit?: string;
  /**
   * Rows per row group for data written in this session (see row-groups.ts); DuckDB takes it
   * only when attaching a file, so the file is then attached to an in-memory instance.
   */
  rowGroupRows?: number;
  signal: AbortSignal;
  logger: Logger;
};


// DuckDB's file lock is per process (fcntl): two instances in one process can both open the file
// and corrupt it. Operations on the same file within this process therefore queue here.
const inProcessQueues = new Map<string, Promise<unknown>>();

export function isLockError(err: unknown): boolean {
  return err instanceof Error && DUCKDB_LOCK_ERROR.test(err.message);
}

/** The error to surface once the signal has fired: its reason when it is an Error. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name !== 'AbortError' ? reason : new CancelledError();
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

/** Full jitter on an exponential curve: 50 ms doubling up to 2 s. */
function backoffMs(attempt: number): number {
  const cap = Math.min(2000, 50 * 2 ** attempt);
  return Math.floor(cap / 2 + (Math.random() * cap) / 2);
}

type Opened = { instance: DuckDBInstance; connection: DuckDBConnection };

async function openDirect(file: string, config: Record<string, string>): Promise<Opened> {
  const instance = await DuckDBInstance.create(file, config);
  try {
    return { instance, connection: await instance.connect() };
  } catch (err) {
    instance.closeSync();
    throw err;
  }
}

/** Placeholder default database while the file is attached; a file stem is unlikely to take it. */
const PLACEHOLDER_DB = 'dxa_session_placeholder';

/**
 * Attaches the file to a fresh in-memory instance with the given row group size and makes it the
 * only, default database, so names resolve as when opening the file directly. The in-memory
 * database is swapped for a placeholder first, which frees the name "memory" for a file stem.
 */
async function openAttached(
  file: string,
  config: Record<string, string>,
  rowGroupRows: number,
): Promise<Opened> {
  const instance = await DuckDBInstance.create(':memory:', config);
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    const placeholder = quoteDuckdbIdent(PLACEHOLDER_DB);
    await connection.run(`ATTACH ':memory:' AS ${placeholder}`);
    await connection.run(`USE ${placeholder}`);
    await connection.run('DETACH memory');
    await connection.run(`ATTACH ${quoteDuckdbString(file)} (ROW_GROUP_SIZE ${rowGroupRows})`);
    const attached = await connection.runAndReadAll(
      'SELECT database_name FROM duckdb_databases() WHERE NOT internal AND database_name <> $1',
      [PLACEHOLDER_DB],
    );
    await connection.run(`USE ${quoteDuckdbIdent(String(attached.getRows()[0]?.[0]))}`);
    await connection.run(`DETACH ${placeholder}`);
    return { instance, connection };
  } catch (err) {
    connection?.closeSync();
    instance.closeSync();
    throw err;
  }
}

async function openWithRetry(file: string, options: SessionOptions, spillDir: string): Promise<Opened> {
  const deadline = Date.now() + options.lockTimeoutMs;
  const config = sessionConfig({
    readOnly: options.readOnly ?? false,
    memoryLimit: options.memoryLimit,
    spillDir,
  });
  for (let attempt = 0; ; attempt += 1) {
    throwIfAborted(options.signal);
    try {
      return options.rowGroupRows === undefined || options.readOnly
        ? await openDirect(file, config)
        : await openAttached(file, config, options.rowGroupRows);
    } catch (err) {
      if (!isLockError(err)) throw err;
      const wait = backoffMs(attempt);
      if (Date.now() + wait > deadline) {
        throw new TransientError(
          'LOAD_ERROR',
          `DuckDB file ${file} is locked by another process; gave up after ${options.lockTimeoutMs} ms`,
          {
            cause: err,
          },
        );
      }
      options.logger.debug('duckdb file locked, retrying', { file, attempt, wait_ms: wait });
      await sleep(wait, undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
}

async function runSession<T>(
  file: string,
  options: SessionOptions,
  fn: (conn: DuckDBConnection) => Promise<T>,
): Promise<T> {
  if (!options.readOnly) await mkdir(path.dirname(file), { recursive: true });
  const spillDir = nextSpillDir(file);
  const { instance, connection } = await openWithRetry(file, options, spillDir).catch(
    async (err: unknown) => {
      await rm(spillDir, { recursive: true, force: true });
      throw err;
    },
  );
  // Aborting interrupts the running statement; the caller's catch rolls back.
  const onAbort = () => connection.interrupt();
  try {
    options.signal.addEventListener('abort', onAbort, { once: true });
    throwIfAborted(options.signal);
    return await fn(connection);
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    connection.closeSync();
    instance.closeSync();
    // DuckDB removes the spill folder it created; this covers a session that failed half-way.
    await rm(spillDir, { recursive: true, force: true });
  }
}

let spillSessions = 0;

/**
 * A spill folder next to the database file (on the disk the user chose for the data), private to
 * the session: readers in several processes may share the file, never a spill folder. DuckDB
 * creates it only when it spills.
 */
function nextSpillDir(file: string): string {
  spillSessions += 1;
  return `${file}.tmp-${process.pid}-${spillSessions}`;
}

/** Waits for the previous operation on the file, or rejects as soon as the signal fires. */
async function waitTurn(previous: Promise<unknown>, signal: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([previous, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Opens the database file for one operation and closes it right after, so that several worker
 * processes can take turns writing to the same file.
 */
export async function withDuckdb<T>(
  file: string,
  options: SessionOptions,
  fn: (conn: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const previous = inProcessQueues.get(file) ?? Promise.resolve();
  // An abort while queued gives up the turn at once; the next in line still waits for `previous`.
  const current = waitTurn(previous, options.signal).then(() => runSession(file, options, fn));
  const settled = Promise.all([previous, current.catch(() => undefined)]);
  inProcessQueues.set(file, settled);
  try {
    return await current;
  } finally {
    if (inProcessQueues.get(file) === settled) inProcessQueues.delete(file);
  }
}
