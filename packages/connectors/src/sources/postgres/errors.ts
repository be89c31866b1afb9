import { wrapDriverError, type DriverErrorContext, type JobFailure } from '../../core/driver-errors.js';

/** ` (SQLSTATE 42P01)` for a server error; Node's five-letter codes (EPIPE, EPERM) have no digit. */
function sqlStateSuffix(err: Error): string {
  const code = (err as { code?: unknown }).code;
  const isSqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && /\d/.test(code);
  return isSqlState ? ` (SQLSTATE ${code})` : '';
}

/** Wraps a node-postgres error once; its SQLSTATE decides terminal vs transient (classifyError). */
export function wrapPgError(thrown: unknown, ctx: DriverErrorContext): JobFailure {
  return wrapDriverError(thrown, ctx, sqlStateSuffix);
}
