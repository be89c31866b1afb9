import path from 'node:path';
import { CancelledError, HandBackError, TerminalError, TransientError, coerceError } from '@dxa/errors';
import { isLockError } from './session.js';

// DuckDB error classes (the prefix of every message) that a retry cannot fix.
const TERMINAL_PREFIXES = [
  'Binder Error',
  'Catalog Error',
  'Constraint Error',
  'Conversion Error',
  'Invalid Input Error',
  'Parser Error',
  'Not implemented Error',
  'Out of Range Error',
];
// IO errors that mean a staged file is damaged rather than momentarily unreadable.
const CORRUPT_INPUT = /not a GZIP stream|corrupt|magic bytes|truncated/i;

/**
 * Keeps the first line only: DuckDB's CSV errors go on to quote the offending line, and row data
 * must not reach job records or logs.
 */
function summary(message: string): string {
  const first = message.split('\n', 1)[0] ?? '';
  return first.length > 500 ? `${first.slice(0, 500)}…` : first;
}

/**
 * What a failed load was doing: DuckDB reads every part in one statement, so the part is named
 * when its message mentions one, else the range of parts it was reading.
 */
export function loadingParts(table: string, paths: readonly string[], thrown: unknown): string {
  const message = coerceError(thrown).message;
  const failed = paths.find((p) => message.includes(p)) ?? (paths.length === 1 ? paths[0] : undefined);
  const first = paths[0];
  const last = paths[paths.length - 1];
  if (failed !== undefined) return `loading ${path.basename(failed)} into ${table} in DuckDB`;
  if (first === undefined || last === undefined) return `loading ${table} into DuckDB`;
  return `loading ${paths.length} parts (${path.basename(first)} … ${path.basename(last)}) into ${table} in DuckDB`;
}

/** Wraps a driver error once, naming the action and table; errors already classified pass through. */
export function wrapDuckdbError(thrown: unknown, action: string): Error {
  const err = coerceError(thrown);
  if (
    err instanceof TerminalError ||
    err instanceof TransientError ||
    err instanceof CancelledError ||
    err instanceof HandBackError
  ) {
    return err;
  }
  const message = `${action} failed: ${summary(err.message)}`;
  if (isLockError(err)) return new TransientError('LOAD_ERROR', message);
  if (TERMINAL_PREFIXES.some((p) => err.message.startsWith(p)) || CORRUPT_INPUT.test(summary(err.message)))
    return new TerminalError('LOAD_ERROR', message);
  return new TransientError('LOAD_ERROR', message);
}
