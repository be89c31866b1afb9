import { CancelledError, TerminalError, TransientError, classifyError, coerceError } from '@dxa/errors';
import type { JobErrorCode } from '@dxa/errors';

export type MysqlErrorContext = {
  step: string;
  /** What was being done, e.g. `extract shop.orders`; leads the message. */
  what: string;
  password: string | undefined;
  signal?: AbortSignal;
};

type JobFailure = TerminalError | TransientError | CancelledError;

// Server error numbers (https://mariadb.com/kb/en/mariadb-error-code-reference/), classified the
// way the PostgreSQL source classifies the matching SQLSTATEs.
const TERMINAL: Record<number, JobErrorCode> = {
  1044: 'PERMISSION_DENIED', // access denied to database
  1045: 'PERMISSION_DENIED', // bad user or password (PostgreSQL 28P01)
  1142: 'PERMISSION_DENIED', // table access denied
  1143: 'PERMISSION_DENIED', // column access denied
  1227: 'PERMISSION_DENIED',
  1049: 'CONFIG_ERROR', // unknown database (PostgreSQL 3D000)
  1146: 'SOURCE_NOT_FOUND', // no such table
  1054: 'SOURCE_NOT_FOUND', // unknown column
  1109: 'SOURCE_NOT_FOUND', // unknown table in a clause
  1792: 'BAD_SQL', // write attempted in the read-only transaction
  1064: 'BAD_SQL', // syntax error
  1060: 'BAD_SQL', // duplicate column name in a query source
};
const TRANSIENT = new Set([
  1040, // too many connections
  1053, // server shutdown
  1205, // lock wait timeout
  1213, // deadlock
  1317, // query interrupted (by someone else than us)
  1927, // connection killed
  2006, // server has gone away
  2013, // lost connection during query
]);
// mysql2's own codes for a dropped socket.
const CONNECTION_LOST = /^(PROTOCOL_CONNECTION_LOST|PROTOCOL_SEQUENCE_TIMEOUT|ETIMEDOUT|ECONNRESET|EPIPE)$/;

/**
 * Wraps a mysql2 error once: the server error number decides terminal vs transient, the message
 * names the table or query, the password is scrubbed and driver fields (sql, stack) are dropped.
 */
export function wrapMysqlError(thrown: unknown, ctx: MysqlErrorContext): JobFailure {
  if (thrown instanceof TerminalError || thrown instanceof TransientError || thrown instanceof CancelledError)
    return thrown;
  if (ctx.signal?.aborted) return new CancelledError(`${ctx.what}: cancelled`, { step: ctx.step });
  const err = coerceError(thrown);
  const errno = (err as { errno?: unknown }).errno;
  const code = (err as { code?: unknown }).code;
  let detail = err.message.split('\n')[0] ?? '';
  if (ctx.password) detail = detail.replaceAll(ctx.password, '***');
  const number = typeof errno === 'number' && errno >= 1000 ? ` (error ${errno})` : '';
  const message = `${ctx.what}: ${detail}${number}`;
  const opts = { step: ctx.step };
  if (typeof errno === 'number') {
    const terminal = TERMINAL[errno];
    if (terminal) return new TerminalError(terminal, message, opts);
    if (TRANSIENT.has(errno)) return new TransientError('CONNECTION_FAILED', message, opts);
    // Other 42xxx (syntax, access rule) and 22xxx (data) server errors: retrying cannot help.
    const sqlState = (err as { sqlState?: unknown }).sqlState;
    if (typeof sqlState === 'string' && /^(42|22)/.test(sqlState))
      return new TerminalError('BAD_SQL', message, opts);
  }
  if (typeof code === 'string' && CONNECTION_LOST.test(code))
    return new TransientError('CONNECTION_FAILED', message, opts);
  const classified = classifyError(err);
  switch (classified.kind) {
    case 'terminal':
      return new TerminalError(classified.code, message, opts);
    case 'cancelled':
      return new CancelledError(message, opts);
    case 'transient':
    case 'hand-back':
      return new TransientError(classified.code, message, opts);
  }
}
