import { CancelledError, NETWORK_ERROR_CODES, TerminalError, TransientError } from '@dxa/errors';

/** Where a failed call was aimed; named in the error so an operator can find the blob. */
export type AzureTarget = { operation: string; location: string; container: string };

/** The fields of a RestError, identity or Node error that decide its class; everything else is dropped. */
type AzureErrorShape = { name?: unknown; code?: unknown; message?: unknown; statusCode?: unknown };

const TERMINAL_CODES = new Set([
  'AuthenticationFailed',
  'AuthorizationFailure',
  'AuthorizationPermissionMismatch',
  'AuthorizationResourceTypeMismatch',
  'AuthorizationServiceMismatch',
  'AuthorizationProtocolMismatch',
  'AuthorizationSourceIPMismatch',
  'InvalidAuthenticationInfo',
  'NoAuthenticationInformation',
  'InsufficientAccountPermissions',
  'AccountIsDisabled',
  'ContainerNotFound',
  'ContainerBeingDeleted',
  'ContainerDisabled',
  'BlobNotFound',
  'ResourceNotFound',
  'InvalidResourceName',
  'InvalidUri',
]);

/** @azure/identity failures: no usable identity in this environment, or it was refused. */
const TERMINAL_NAMES = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

const TRANSIENT_CODES = new Set(['ServerBusy', 'OperationTimedOut', 'InternalError', 'REQUEST_SEND_ERROR']);

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Makes a driver message safe to show: drops query strings from URLs (a SAS rides there), masks any
 * stray `sig=` and removes the known secrets. Only the first line is kept: service messages go on
 * with request ids and timestamps.
 */
export function scrubMessage(message: string, secrets: readonly string[]): string {
  let out = message.split('\n')[0] ?? '';
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi, '$1')
    .replace(/\b(sig|AccountKey|SharedAccessSignature)=[^\s&;"'<>]+/gi, '$1=***')
    .trim();
}

function hint(code: string | undefined, status: number | undefined, container: string): string {
  if (code === 'ContainerNotFound') return ` (container "${container}" does not exist)`;
  if (status === 401 || status === 403) return ' (check the stage credentials and their permissions)';
  return '';
}

/**
 * Wraps an Azure failure once: credential, permission and missing-container or -blob errors are
 * terminal, network, 5xx and throttling are transient, an abort of our signal is a cancel. The raw error is not
 * kept as the cause: a RestError carries the request, whose URL may hold a SAS.
 */
export function wrapAzureError(
  err: unknown,
  target: AzureTarget,
  signal: AbortSignal,
  secrets: readonly string[],
): Error {
  if (err instanceof TerminalError || err instanceof TransientError || err instanceof CancelledError)
    return err;
  const shape = (typeof err === 'object' && err !== null ? err : {}) as AzureErrorShape;
  if (signal.aborted) return new CancelledError();
  const name = str(shape.name);
  const code = str(shape.code);
  const status = typeof shape.statusCode === 'number' ? shape.statusCode : undefined;
  const detail = scrubMessage(str(shape.message) ?? String(err), secrets);
  const what = [name, code, status === undefined ? undefined : `HTTP ${status}`].filter(Boolean).join(', ');
  const message = `azure_blob stage: ${target.operation} ${target.location} failed (${what})${hint(code, status, target.container)}: ${detail}`;
  if ((code && TERMINAL_CODES.has(code)) || (name && TERMINAL_NAMES.has(name))) {
    return new TerminalError('STAGE_ERROR', message);
  }
  if (status === 401 || status === 403 || status === 404) return new TerminalError('STAGE_ERROR', message);
  // Not our signal: the SDK reports a connection dropped mid-download as an abort.
  if (name === 'AbortError') return new TransientError('STAGE_ERROR', message);
  if (code && (TRANSIENT_CODES.has(code) || NETWORK_ERROR_CODES.has(code)))
    return new TransientError('STAGE_ERROR', message);
  // No HTTP status means the request never got an answer: a network failure.
  if (status === undefined || status >= 500 || status === 429 || status === 408) {
    return new TransientError('STAGE_ERROR', message);
  }
  return new TerminalError('STAGE_ERROR', message);
}
