import {
  CancelledError,
  HandBackError,
  TerminalError,
  TransientError,
  type JobErrorCode,
} from './job-errors.js';
import { driverVerdict, installedDriverErrorTables, type DriverErrorTable } from './driver-errors.js';

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

export type Classified =
  | { kind: 'terminal'; code: JobErrorCode; message: string; step?: string }
  | { kind: 'transient'; code: JobErrorCode; message: string; step?: string }
  | { kind: 'cancelled'; code: 'CANCELLED'; message: string; step?: string }
  | { kind: 'hand-back'; code: 'INTERNAL'; message: string };

/**
 * The one place that decides whether a failure is retried. Connectors throw TerminalError or
 * TransientError where they know; driver errors that escape are classified here by their codes,
 * read through the driver error tables each connector declares next to its driver.
 */
export function classifyError(
  thrown: unknown,
  tables: readonly DriverErrorTable[] = installedDriverErrorTables(),
): Classified {
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
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code))
    return { kind: 'transient', code: 'CONNECTION_FAILED', message: err.message };
  // Database drivers' codes, from the tables their connectors declare (installDriverErrorTables).
  const verdict = driverVerdict(err, tables);
  if (verdict?.kind === 'terminal') return { kind: 'terminal', code: verdict.code, message: err.message };
  if (verdict) return { kind: 'transient', code: verdict.code, message: err.message };
  // Unknown failures retry a bounded number of times: a wrong "terminal" guess loses a migration.
  return { kind: 'transient', code: 'INTERNAL', message: err.message };
}
