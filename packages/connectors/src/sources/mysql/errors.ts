import {
  wrapDriverError,
  type DriverErrorContext,
  type DriverErrorSpelling,
  type JobFailure,
} from '../../core/driver-errors.js';
import { mysqlDriverErrors } from './description.js';

/** ` (error 1146)` for a server error; Node's socket errors carry negative errnos. */
function errnoSuffix(err: Error): string {
  const errno = (err as { errno?: unknown }).errno;
  return typeof errno === 'number' && mysqlDriverErrors.owns(errno) ? ` (error ${errno})` : '';
}

export const mysqlErrorSpelling: DriverErrorSpelling = { table: mysqlDriverErrors, codeSuffix: errnoSuffix };

/** Wraps a mysql2 error once; its server error number decides terminal vs transient (mysqlDriverErrors). */
export function wrapMysqlError(thrown: unknown, ctx: DriverErrorContext): JobFailure {
  return wrapDriverError(thrown, ctx, mysqlErrorSpelling);
}
