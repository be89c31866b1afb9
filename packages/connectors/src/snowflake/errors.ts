import {
  CancelledError,
  NETWORK_ERROR_CODES,
  TerminalError,
  TransientError,
  type JobErrorCode,
} from '@dxa/errors';
import { maskSecretsInText } from '@dxa/logger';

export type WrapContext = {
  /** What was being done, e.g. `COPY INTO "ORDERS"`; never a statement's full text. */
  what: string;
  /** `account "X" at <url>`. */
  label: string;
  /** Values that must not appear in the message. */
  secrets: readonly string[];
  signal?: AbortSignal | undefined;
  step?: string | undefined;
  /** The code for a failure of the statement itself (bad data, missing object): LOAD_ERROR or STAGE_ERROR. */
  failure?: JobErrorCode | undefined;
};

/** The fields of a snowflake-sdk error that decide its class; response bodies and requests are dropped. */
type SdkErrorShape = {
  name?: unknown;
  code?: unknown;
  sqlState?: unknown;
  message?: unknown;
  cause?: { code?: unknown } | undefined;
  response?: { statusCode?: unknown } | undefined;
};

/** Server codes (https://docs.snowflake.com error messages); anything else falls back to its SQLSTATE. */
const SERVER_CODES: Record<string, { code: JobErrorCode; transient?: boolean }> = {
  '390100': { code: 'PERMISSION_DENIED' }, // incorrect username or password
  '390101': { code: 'PERMISSION_DENIED' }, // user disabled
  '390102': { code: 'PERMISSION_DENIED' }, // user locked
  '390144': { code: 'PERMISSION_DENIED' }, // JWT token invalid
  '390303': { code: 'PERMISSION_DENIED' }, // invalid OAuth access token
  '390189': { code: 'CONFIG_ERROR' }, // role not granted / does not exist
  '390201': { code: 'CONFIG_ERROR' }, // database or schema does not exist
  '390111': { code: 'CONNECTION_FAILED', transient: true }, // session gone
  '390112': { code: 'CONNECTION_FAILED', transient: true }, // session no longer exists
  '390114': { code: 'CONNECTION_FAILED', transient: true }, // authentication token expired
  '390318': { code: 'CONNECTION_FAILED', transient: true }, // OAuth token expired (SPCS refreshes it)
  '001003': { code: 'BAD_SQL' }, // SQL compilation error
  '002002': { code: 'TARGET_EXISTS' },
  '002003': { code: 'LOAD_ERROR' }, // object does not exist or not authorized
  '003001': { code: 'PERMISSION_DENIED' }, // insufficient privileges
  '091003': { code: 'STAGE_ERROR' }, // failure using stage area (access denied, missing bucket)
  '000606': { code: 'CONFIG_ERROR' }, // no active warehouse
  '090105': { code: 'CONFIG_ERROR' }, // no current database
  '000603': { code: 'LOAD_ERROR', transient: true }, // internal error, retry
  '000625': { code: 'LOAD_ERROR', transient: true }, // lock wait queue full
  '000630': { code: 'TIMEOUT', transient: true }, // statement timeout
};

function str(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Removes what must never reach a log or a job record: known secret values, the CREDENTIALS
 * clause and key/token literals of a stage statement, URL credentials and SAS signatures.
 */
export function maskSnowflakeText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    if (secret.length > 0) out = out.split(secret).join('***');
  out = out
    .replace(/CREDENTIALS\s*=\s*\((?:[^()']|'(?:[^']|'')*')*\)?/gi, 'CREDENTIALS = (***)')
    .replace(/\b(AWS_KEY_ID|AWS_SECRET_KEY|AWS_TOKEN|AZURE_SAS_TOKEN)\s*=\s*'(?:[^']|'')*'?/gi, "$1 = '***'");
  return maskSecretsInText(out);
}

/** Load errors quote the offending value; row data must stay out of job records, the file name may stay. */
function withoutValues(message: string): string {
  return message
    .replace(/(?<!File )'(?:[^']|'')*'/g, "'…'")
    .replace(/\s*If you would like to continue loading[\s\S]*$/i, '');
}

type Class = { code: JobErrorCode; transient: boolean };

function classOf(shape: SdkErrorShape, failure: JobErrorCode): Class {
  const code = str(shape.code);
  const sqlState = str(shape.sqlState) ?? '';
  const causeCode = str(shape.cause?.code);
  if ((code && NETWORK_ERROR_CODES.has(code)) || (causeCode && NETWORK_ERROR_CODES.has(causeCode)))
    return { code: 'CONNECTION_FAILED', transient: true };
  const known = code === undefined ? undefined : SERVER_CODES[code];
  if (known) return { code: known.code, transient: known.transient === true };
  if (code !== undefined && /^\d{6}$/.test(code)) {
    const sdk = Number(code);
    // The driver's own codes (error_code.js): 401xxx/402xxx network and HTTP, 404xxx bad options.
    if (sdk >= 401000 && sdk < 403000) {
      const status = shape.response?.statusCode;
      const terminalHttp =
        typeof status === 'number' && status >= 400 && status < 500 && ![408, 429].includes(status);
      return { code: 'CONNECTION_FAILED', transient: !terminalHttp };
    }
    if (sdk >= 404000 && sdk < 405000) return { code: 'CONFIG_ERROR', transient: false };
    if (sdk >= 405000 && sdk < 408000) return { code: 'CONNECTION_FAILED', transient: true };
    if (sdk >= 412000 && sdk < 414000) return { code: 'CONNECTION_FAILED', transient: true };
    if (sdk >= 409000 && sdk < 412000) return { code: 'INTERNAL', transient: false };
    if (code.startsWith('100')) return { code: failure, transient: false }; // data and load errors
    if (code.startsWith('3901')) return { code: 'PERMISSION_DENIED', transient: false };
  }
  if (sqlState.startsWith('08')) return { code: 'CONNECTION_FAILED', transient: true };
  if (sqlState === '28000' || sqlState === '42501') return { code: 'PERMISSION_DENIED', transient: false };
  if (sqlState.startsWith('42')) return { code: 'BAD_SQL', transient: false };
  if (sqlState.startsWith('22') || sqlState === '02000') return { code: failure, transient: false };
  // Unknown failures retry a bounded number of times (classifyError's rule).
  return { code: 'INTERNAL', transient: true };
}

/** The error to surface once the signal has fired: its reason when it is an Error, else a cancel. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name !== 'AbortError' ? reason : new CancelledError('cancelled');
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

/**
 * Wraps a snowflake-sdk failure once: authentication, bad SQL, missing objects and bad data are
 * terminal; network errors, 5xx, expired sessions and internal errors are transient. The message
 * names the account, the endpoint and what was being done, with secrets and row values removed;
 * the raw error is not kept as the cause (it carries requests and responses).
 */
export function wrapSnowflakeError(thrown: unknown, ctx: WrapContext): Error {
  if (thrown instanceof TerminalError || thrown instanceof TransientError || thrown instanceof CancelledError)
    return thrown;
  if (ctx.signal?.aborted) return abortError(ctx.signal);
  const shape = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as SdkErrorShape;
  if (shape.name === 'AbortError') return new CancelledError();
  const cls = classOf(shape, ctx.failure ?? 'LOAD_ERROR');
  const code = str(shape.code);
  const sqlState = str(shape.sqlState);
  const rawMessage = str(shape.message) ?? String(thrown);
  const isDataError = code?.startsWith('100') === true || sqlState?.startsWith('22') === true;
  const detail = (isDataError ? withoutValues(rawMessage) : rawMessage).replace(/\s+/g, ' ').trim();
  const tags = [code, sqlState && `SQLSTATE ${sqlState}`, str(shape.cause?.code)].filter(Boolean).join(', ');
  const message = maskSnowflakeText(
    `snowflake ${ctx.label}: ${ctx.what} failed${tags ? ` (${tags})` : ''}: ${detail}`,
    ctx.secrets,
  );
  const options = ctx.step === undefined ? {} : { step: ctx.step };
  return cls.transient
    ? new TransientError(cls.code, message, options)
    : new TerminalError(cls.code, message, options);
}
