import { wrapDriverError, type DriverErrorContext, type JobFailure } from '../../core/driver-errors.js';
import { mysqlDriverErrors } from './description.js';

/** ` (error 1146)` for a server error; Node's socket errors carry negative errnos. */
function errnoSuffix(err: Error): string {
  const errno = (err as { errno?: unknown }).errno;
  return typeof errno === 'number' && mysqlDriverErrors.owns(errno) ? ` (error ${errno})` : '';
}

/** Wraps a mysql2 error once; its server error number decides terminal vs transient (mysqlDriverErrors). */
export function wrapMysqlError(thrown: unknown, ctx: DriverErrorContext): JobFailure {
  return wrapDriverError(thrown, ctx, { table: mysqlDriverErrors, codeSuffix: errnoSuffix });
}
