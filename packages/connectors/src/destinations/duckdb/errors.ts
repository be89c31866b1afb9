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
// Errors that mean DuckDB refused the statement itself rather than failed while running it.
const REFUSED_SQL_PREFIXES = ['Parser Error', 'Binder Error', 'Catalog Error', 'Not implemented Error'];
const OUT_OF_MEMORY_PREFIX = 'Out of Memory Error';
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

/**
 * Wraps a driver error once, naming the action and table; errors already classified pass through.
 * Out of memory says which setting to raise when the connection's `memoryLimit` is given.
 */
export function wrapDuckdbError(thrown: unknown, action: string, memoryLimit?: string): Error {
  const err = coerceError(thrown);
  if (
    err instanceof TerminalError ||
    err instanceof TransientError ||
    err instanceof CancelledError ||
    err instanceof HandBackError
  ) {
    return err;
  }
  const hint =
    memoryLimit !== undefined && err.message.startsWith(OUT_OF_MEMORY_PREFIX)
      ? `${outOfMemoryHint(memoryLimit)}: `
      : '';
  const message = `${action} failed: ${hint}${summary(err.message)}`;
  if (isLockError(err)) return new TransientError('LOAD_ERROR', message);
  if (TERMINAL_PREFIXES.some((p) => err.message.startsWith(p)) || CORRUPT_INPUT.test(summary(err.message)))
    return new TerminalError('LOAD_ERROR', message);
  return new TransientError('LOAD_ERROR', message);
}

/** What a user changes when DuckDB ran out of memory although it spills what it can. */
export function outOfMemoryHint(memoryLimit: string): string {
  return `DuckDB ran out of its memory_limit of ${memoryLimit}; raise memory_limit on the DuckDB target connection`;
}

export type ValidationWrapOptions = {
  /** The connection's memory_limit, named in an out-of-memory message. */
  memoryLimit: string;
  /** The code for a statement DuckDB refuses: BAD_SQL for a query, VALIDATION_ERROR for a lookup. */
  refused: 'BAD_SQL' | 'VALIDATION_ERROR';
};

/**
 * Wraps a failure of validation's work in DuckDB: a refused statement is `refused`, anything else
 * the engine failing (VALIDATION_ERROR, never LOAD_ERROR: the load has committed). Running out of
 * memory is terminal, since a retry has no more memory, and says what to change.
 */
export function wrapDuckdbValidationError(
  thrown: unknown,
  action: string,
  options: ValidationWrapOptions,
): Error {
  const err = coerceError(thrown);
  const step = { step: 'validate' };
  if (err instanceof CancelledError || err instanceof HandBackError) return err;
  if (err instanceof TerminalError || err instanceof TransientError) {
    // The session opener's own errors (a lock held too long) name the load's code.
    if (err.code !== 'LOAD_ERROR') return err;
    const Kind = err instanceof TerminalError ? TerminalError : TransientError;
    return new Kind('VALIDATION_ERROR', err.message, { ...step, cause: err });
  }
  const first = summary(err.message);
  if (err.message.startsWith(OUT_OF_MEMORY_PREFIX))
    return new TerminalError(
      'VALIDATION_ERROR',
      `${action} failed: ${outOfMemoryHint(options.memoryLimit)}: ${first}`,
      step,
    );
  const message = `${action} failed: ${first}`;
  if (REFUSED_SQL_PREFIXES.some((p) => err.message.startsWith(p)))
    return new TerminalError(options.refused, message, step);
  if (!isLockError(err) && TERMINAL_PREFIXES.some((p) => err.message.startsWith(p)))
    return new TerminalError('VALIDATION_ERROR', message, step);
  return new TransientError('VALIDATION_ERROR', message, step);
}
