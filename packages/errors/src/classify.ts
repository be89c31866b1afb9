import {
  CancelledError,
  HandBackError,
  TerminalError,
  TransientError,
  type JobErrorCode,
} from './job-errors.js';

/** Turns anything thrown into an Error (graphile's coerceError). */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}

// PostgreSQL SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const PG_TRANSIENT_CLASSES = ['08', '53', '57', '58', '40'];
const PG_TERMINAL: Record<string, JobErrorCode> = {
  '42501': 'PERMISSION_DENIED',
  '28000': 'PERMISSION_DENIED',
  '28P01': 'PERMISSION_DENIED',
  '42P01': 'SOURCE_NOT_FOUND',
  '42703': 'SOURCE_NOT_FOUND',
  '3F000': 'SOURCE_NOT_FOUND',
  '3D000': 'CONFIG_ERROR',
  '25006': 'BAD_SQL', // read-only transaction
};
// MySQL / MariaDB server error numbers (https://mariadb.com/kb/en/mariadb-error-code-reference/),
// classified as the matching SQLSTATEs above.
const MYSQL_TERMINAL: Record<number, JobErrorCode> = {
  1044: 'PERMISSION_DENIED', // access denied to database
  1045: 'PERMISSION_DENIED', // bad user or password (28P01)
  1142: 'PERMISSION_DENIED', // table access denied
  1143: 'PERMISSION_DENIED', // column access denied
  1227: 'PERMISSION_DENIED',
  1049: 'CONFIG_ERROR', // unknown database (3D000)
  1146: 'SOURCE_NOT_FOUND', // no such table
  1054: 'SOURCE_NOT_FOUND', // unknown column
  1109: 'SOURCE_NOT_FOUND', // unknown table in a clause
  1792: 'BAD_SQL', // write attempted in a read-only transaction
  1064: 'BAD_SQL', // syntax error
  1060: 'BAD_SQL', // duplicate column name in a query source
};
const MYSQL_TRANSIENT: ReadonlySet<number> = new Set([
  1040, // too many connections
  1053, // server shutdown
  1205, // lock wait timeout
  1213, // deadlock
  1317, // query interrupted (by someone else than us)
  1927, // connection killed
  2006, // server has gone away
  2013, // lost connection during query
]);
// mysql2's own codes for a dropped connection.
const MYSQL_CONNECTION_LOST: ReadonlySet<string> = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

/** A MySQL / MariaDB server error (mysql2 sets `errno`; Node's socket errors have negative ones). */
function classifyMysql(err: Error): Classified | undefined {
  const errno = (err as { errno?: unknown }).errno;
  if (typeof errno !== 'number' || errno < 1000) return undefined;
  const terminal = MYSQL_TERMINAL[errno];
  if (terminal) return { kind: 'terminal', code: terminal, message: err.message };
  if (MYSQL_TRANSIENT.has(errno))
    return { kind: 'transient', code: 'CONNECTION_FAILED', message: err.message };
  // Other 42xxx (syntax, access rule) and 22xxx (data) errors: retrying cannot help.
  const sqlState = (err as { sqlState?: unknown }).sqlState;
  if (typeof sqlState === 'string' && /^(42|22)/.test(sqlState))
    return { kind: 'terminal', code: 'BAD_SQL', message: err.message };
  return undefined;
}

/** Node socket error codes that mean the network or the server failed, not the request: worth a retry. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

// Driver errors without a code that mean the connection went away (node-postgres says so in words).
const CONNECTION_LOST =
  /Connection terminated|server closed the connection unexpectedly|connection error and is not queryable|Client was closed/i;

export type Classified =
  | { kind: 'terminal'; code: JobErrorCode; message: string; step?: string }
  | { kind: 'transient'; code: JobErrorCode; message: string; step?: string }
  | { kind: 'cancelled'; code: 'CANCELLED'; message: string; step?: string }
  | { kind: 'hand-back'; code: 'INTERNAL'; message: string };

/**
 * The one place that decides whether a failure is retried. Connectors throw TerminalError or
 * TransientError where they know; driver errors that escape are classified here by their codes.
 */
export function classifyError(thrown: unknown): Classified {
  const err = coerceError(thrown);
  const step = (err as { step?: string }).step;
  if (err instanceof HandBackError) return { kind: 'hand-back', code: 'INTERNAL', message: err.message };
  if (err instanceof CancelledError)
    return { kind: 'cancelled', code: 'CANCELLED', message: err.message, ...(step ? { step } : {}) };
  if (err instanceof TerminalError)
    return { kind: 'terminal', code: err.code, message: err.message, ...(step ? { step } : {}) };
  if (err instanceof TransientError)
    return { kind: 'transient', code: err.code, message: err.message, ...(step ? { step } : {}) };
  if (err.name === 'AbortError') return { kind: 'cancelled', code: 'CANCELLED', message: 'cancelled' };
  const mysql = classifyMysql(err);
  if (mysql) return mysql;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_ERROR_CODES.has(code) || MYSQL_CONNECTION_LOST.has(code))
      return { kind: 'transient', code: 'CONNECTION_FAILED', message: err.message };
    if (/^[0-9A-Z]{5}$/.test(code)) {
      const terminal = PG_TERMINAL[code];
      if (terminal) return { kind: 'terminal', code: terminal, message: err.message };
      if (PG_TRANSIENT_CLASSES.includes(code.slice(0, 2)))
        return { kind: 'transient', code: 'CONNECTION_FAILED', message: err.message };
      if (code.startsWith('42') || code.startsWith('22'))
        return { kind: 'terminal', code: 'BAD_SQL', message: err.message };
    }
  }
  if (CONNECTION_LOST.test(err.message))
    return { kind: 'transient', code: 'CONNECTION_FAILED', message: err.message };
  if (/Could not set lock on file|Conflicting lock/i.test(err.message)) {
    return { kind: 'transient', code: 'LOAD_ERROR', message: err.message };
  }
  // Unknown failures retry a bounded number of times: a wrong "terminal" guess loses a migration.
  return { kind: 'transient', code: 'INTERNAL', message: err.message };
}
