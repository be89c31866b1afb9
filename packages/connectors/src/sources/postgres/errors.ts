import { wrapDriverError, type DriverErrorContext, type JobFailure } from '../../core/driver-errors.js';
import { pgDriverErrors } from './description.js';

/** ` (SQLSTATE 42P01)` for a server error; Node's five-letter codes (EPIPE, EPERM) have no digit. */
function sqlStateSuffix(err: Error): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && pgDriverErrors.owns(code) ? ` (SQLSTATE ${code})` : '';
}

/** Wraps a node-postgres error once; its SQLSTATE decides terminal vs transient (pgDriverErrors). */
export function wrapPgError(thrown: unknown, ctx: DriverErrorContext): JobFailure {
  return wrapDriverError(thrown, ctx, { table: pgDriverErrors, codeSuffix: sqlStateSuffix });
}
