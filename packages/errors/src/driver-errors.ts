import type { JobErrorCode } from './job-errors.js';

/**
 * What one database driver's error codes mean, declared next to the driver that produces them
 * (each connector's description) and applied by classifyError, the one place that decides retries.
 */
export type DriverErrorTable = {
  /** Which driver the table describes, for messages and tests (`pg`, `mysql2`). */
  driver: string;
  /** The error property that carries the server's code (`code` for SQLSTATEs, `errno` for MySQL). */
  field: 'code' | 'errno' | 'number';
  /** Whether a code found in `field` comes from this driver's server (not a Node socket code). */
  owns: (code: string | number) => boolean;
  /** Codes a retry cannot fix, with the job error code they end with. */
  terminal: Readonly<Record<string, JobErrorCode>>;
  /** Codes that mean the server or the connection failed: retried as CONNECTION_FAILED. */
  transient?: readonly (string | number)[];
  /** SQLSTATE-style classes (code prefixes) retried as CONNECTION_FAILED. */
  transientClasses?: readonly string[];
  /** SQLSTATE-style classes (code prefixes) that mean the statement or its data is wrong: BAD_SQL. */
  badSqlClasses?: readonly string[];
  /** A second property holding a SQLSTATE (`sqlState` on MySQL errors) checked against badSqlClasses. */
  sqlStateField?: string;
  /** The driver's own codes (in `code`) for a dropped connection, retried as CONNECTION_FAILED. */
  connectionLostCodes?: readonly string[];
  /** Messages without a code and what they mean (node-postgres says a connection went away in words). */
  messages?: readonly { pattern: RegExp; kind: 'terminal' | 'transient'; code: JobErrorCode }[];
};

export type DriverVerdict = { kind: 'terminal' | 'transient'; code: JobErrorCode };

let installed: readonly DriverErrorTable[] = [];

/** Installs the tables classifyError consults; the connector catalog calls it with every connector's. */
export function installDriverErrorTables(tables: readonly DriverErrorTable[]): void {
  installed = tables;
}

export function installedDriverErrorTables(): readonly DriverErrorTable[] {
  return installed;
}

function property(err: Error, name: string): unknown {
  return (err as unknown as Record<string, unknown>)[name];
}

function verdictOf(table: DriverErrorTable, err: Error): DriverVerdict | undefined {
  const code = property(err, table.field);
  if ((typeof code === 'string' || typeof code === 'number') && table.owns(code)) {
    const key = String(code);
    const terminal = table.terminal[key];
    if (terminal) return { kind: 'terminal', code: terminal };
    if (table.transient?.some((c) => String(c) === key)) return { kind: 'transient', code: 'CONNECTION_FAILED' };
    if (table.transientClasses?.some((p) => key.startsWith(p)))
      return { kind: 'transient', code: 'CONNECTION_FAILED' };
    const sqlState = table.sqlStateField === undefined ? key : property(err, table.sqlStateField);
    if (typeof sqlState === 'string' && table.badSqlClasses?.some((p) => sqlState.startsWith(p)))
      return { kind: 'terminal', code: 'BAD_SQL' };
  }
  const own = property(err, 'code');
  if (typeof own === 'string' && table.connectionLostCodes?.includes(own))
    return { kind: 'transient', code: 'CONNECTION_FAILED' };
  const byMessage = table.messages?.find((m) => m.pattern.test(err.message));
  return byMessage ? { kind: byMessage.kind, code: byMessage.code } : undefined;
}

/** The first installed table's verdict on a driver error, if any table recognizes it. */
export function driverVerdict(
  err: Error,
  tables: readonly DriverErrorTable[] = installed,
): DriverVerdict | undefined {
  for (const table of tables) {
    const verdict = verdictOf(table, err);
    if (verdict) return verdict;
  }
  return undefined;
}
