/** Error codes a job can end with (`error.code` in the job view). */
export const JOB_ERROR_CODES = [
  'CONFIG_ERROR', // a connection is missing or misconfigured
  'INVALID_JOB', // the payload failed the catalog schema on the worker
  'PERMISSION_DENIED',
  'SOURCE_NOT_FOUND', // table, column or schema missing in the source
  'TARGET_EXISTS', // mode "create" and the table exists
  'BAD_SQL',
  'CONNECTION_FAILED',
  'TIMEOUT',
  'CANCELLED',
  'VALIDATION_FAILED', // validation ran and the copy differs from the source
  'VALIDATION_ERROR', // validation could not run: an engine failed while computing it (out of memory, I/O, …)
  'INTEGRITY_ERROR', // a staged file does not match its manifest
  'STAGE_ERROR',
  'LOAD_ERROR',
  'SNAPSHOT_LOST', // the session holding a partitioned extract's exported snapshot ended
  'WORKER_LOST', // the job's workers kept dying or losing their lock until BullMQ gave up
  'INTERNAL',
] as const;
export type JobErrorCode = (typeof JOB_ERROR_CODES)[number];

type JobErrorOptions = { step?: string; cause?: unknown };

abstract class JobFailure extends Error {
  readonly code: JobErrorCode;
  readonly step: string | undefined;
  constructor(code: JobErrorCode, message: string, options: JobErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.step = options.step;
  }
}

/** Retrying cannot help: bad config, permission denied, bad SQL, invalid payload. */
export class TerminalError extends JobFailure {
  override readonly name = 'TerminalError';
}

/** May succeed later: timeouts, connection resets, locks, throttling. */
export class TransientError extends JobFailure {
  override readonly name = 'TransientError';
}

/** The job was cancelled by a user; never retried. */
export class CancelledError extends JobFailure {
  override readonly name = 'CancelledError';
  constructor(message = 'cancelled', options: JobErrorOptions = {}) {
    super('CANCELLED', message, options);
  }
}

/** The worker is shutting down and hands the job back to the queue. */
export class HandBackError extends Error {
  override readonly name = 'HandBackError';
}
