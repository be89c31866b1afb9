import { CancelledError, NETWORK_ERROR_CODES, TerminalError, TransientError } from '@dxa/errors';

/** Where a failed call was aimed; named in the error so an operator can find the object. */
export type S3Target = { operation: string; location: string };

/** The fields of an SDK or Node error that decide its class; everything else is dropped. */
type SdkErrorShape = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
};

const TERMINAL_NAMES = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'NoSuchBucket',
  'NoSuchKey',
  'NotFound',
  'AllAccessDisabled',
  'AccountProblem',
  'CredentialsProviderError',
  'InvalidBucketName',
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
]);

const TRANSIENT_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeoutException',
]);

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isTransient(
  name: string | undefined,
  code: string | undefined,
  status: number | undefined,
): boolean {
  if ((name && TRANSIENT_NAMES.has(name)) || (code && NETWORK_ERROR_CODES.has(code))) return true;
  // No HTTP status means the request never got an answer: a network failure.
  if (status === undefined) return true;
  return status >= 500 || status === 429 || status === 408;
}

const STATUS_MEANING: Record<number, string> = {
  301: 'the bucket is in another region (set region)',
  400: 'the request was refused (check region and endpoint)',
  403: 'access denied (check access_key_id / secret_access_key or the profile, and the bucket policy)',
  404: 'the bucket does not exist',
};

/** Removes every occurrence of the given secrets from a message. */
function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}

/**
 * Wraps an SDK failure once: credential, permission and missing-bucket errors are terminal,
 * network, 5xx and throttling are transient, an abort is a cancel. The raw error is not kept as
 * the cause because SDK errors carry request and response details we do not want in job records.
 */
export function wrapS3Error(
  err: unknown,
  target: S3Target,
  signal: AbortSignal,
  secrets: readonly string[],
): Error {
  if (err instanceof TerminalError || err instanceof TransientError || err instanceof CancelledError)
    return err;
  const shape = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const name = str(shape.name);
  if (signal.aborted || name === 'AbortError') return new CancelledError();
  const code = str(shape.code);
  const rawStatus = shape.$metadata?.httpStatusCode;
  const status = typeof rawStatus === 'number' ? rawStatus : undefined;
  const raw = str(shape.message) ?? String(err);
  // HEAD requests get no error body, so the SDK can only say "UnknownError"; the status says more.
  const bodyless = raw === 'UnknownError' || raw === name;
  const detail = bodyless && status !== undefined ? (STATUS_MEANING[status] ?? raw) : scrub(raw, secrets);
  const what = [name, code, status === undefined ? undefined : `HTTP ${status}`].filter(Boolean).join(', ');
  const message = `s3 stage: ${target.operation} ${target.location} failed (${what}): ${detail}`;
  if (name && TERMINAL_NAMES.has(name)) return new TerminalError('STAGE_ERROR', message);
  if (status === 401 || status === 403) return new TerminalError('STAGE_ERROR', message);
  if (shape.$retryable !== undefined || isTransient(name, code, status)) {
    return new TransientError('STAGE_ERROR', message);
  }
  return new TerminalError('STAGE_ERROR', message);
}
