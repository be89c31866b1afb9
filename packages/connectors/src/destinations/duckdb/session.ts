import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CancelledError, TransientError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';

export type SessionOptions = {
  /** How long to keep retrying while another process holds the database file. */
  lockTimeoutMs: number;
  readOnly?: boolean;
  /** DuckDB `memory_limit`, e.g. "256MB". */
  memoryLimit?: string;
  signal: AbortSignal;
  logger: Logger;
};

const LOCK_ERROR = /Could not set lock on file|Conflicting lock/i;

// DuckDB's file lock is per process (fcntl): two instances in one process can both open the file
// and corrupt it. Operations on the same file within this process therefore queue here.
const inProcessQueues = new Map<string, Promise<unknown>>();

export function isLockError(err: unknown): boolean {
  return err instanceof Error && LOCK_ERROR.test(err.message);
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

async function openWithRetry(file: string, options: SessionOptions): Promise<DuckDBInstance> {
  const deadline = Date.now() + options.lockTimeoutMs;
  const config: Record<string, string> = {
    ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
    ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
  };
  for (let attempt = 0; ; attempt += 1) {
    throwIfAborted(options.signal);
    try {
      return await DuckDBInstance.create(file, config);
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
  const instance = await openWithRetry(file, options);
  let connection: DuckDBConnection | undefined;
  // Aborting interrupts the running statement; the caller's catch rolls back.
  const onAbort = () => connection?.interrupt();
  try {
    connection = await instance.connect();
    options.signal.addEventListener('abort', onAbort, { once: true });
    throwIfAborted(options.signal);
    return await fn(connection);
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    connection?.closeSync();
    instance.closeSync();
  }
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
