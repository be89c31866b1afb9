import { CancelledError, TerminalError, coerceError, type TransientError } from '@dxa/errors';
import { wrapPgError } from '../../sources/postgres/errors.js';

type JobFailure = TerminalError | TransientError | CancelledError;

const REMAPPED = new Set<string>(['SOURCE_NOT_FOUND', 'BAD_SQL']);

/** Where COPY failed, from the driver's `where` (`COPY t, line 3, column id: "…"`), without the value. */
function copyPosition(err: Error): string | undefined {
  const where = (err as { where?: unknown }).where;
  if (typeof where !== 'string') return undefined;
  const match = /line (\d+)(?:, column ([^:]+))?/.exec(where);
  if (!match) return undefined;
  return match[2] ? `line ${match[1]}, column ${match[2]}` : `line ${match[1]}`;
}

/**
 * Wraps a node-postgres error once (SQLSTATE classified as for the source), naming the table and
 * file. Data exceptions (class 22) quote the offending value; it is cut out, since row data must
 * not reach job records or logs, and such a failure is a terminal LOAD_ERROR.
 */
export function wrapLoadError(
  thrown: unknown,
  what: string,
  password: string | undefined,
  signal?: AbortSignal,
): JobFailure {
  const err = coerceError(thrown);
  const code = (err as { code?: unknown }).code;
  const isDataError = typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
  if (isDataError) {
    const position = copyPosition(err);
    const redacted = Object.assign(new Error(err.message.replace(/: ".*$/s, '')), { code });
    const wrapped = wrapPgError(redacted, {
      step: 'load',
      what: position ? `${what} (${position})` : what,
      password,
      ...(signal ? { signal } : {}),
    });
    return wrapped instanceof CancelledError
      ? wrapped
      : new TerminalError('LOAD_ERROR', wrapped.message, { step: 'load' });
  }
  const wrapped = wrapPgError(err, { step: 'load', what, password, ...(signal ? { signal } : {}) });
  // "Not found" and "bad SQL" here mean the target or its columns, not a source or a user query.
  if (wrapped instanceof TerminalError && REMAPPED.has(wrapped.code) && wrapped !== thrown)
    return new TerminalError('LOAD_ERROR', wrapped.message, { step: 'load' });
  return wrapped;
}
