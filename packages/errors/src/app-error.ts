/** Coded errors of the public API; each code maps to exactly one HTTP status. */
export const API_ERROR_STATUS = {
  INVALID_JSON: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  VALIDATION_FAILED: 422,
  UNKNOWN_JOB_TYPE: 422,
  UNKNOWN_CONNECTION: 422,
  UNSUPPORTED: 422,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export type ErrorDetail = { path?: string; message: string };

export class AppError extends Error {
  readonly code: ApiErrorCode;
  readonly details: ErrorDetail[];
  constructor(code: ApiErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return API_ERROR_STATUS[this.code];
  }
  toBody(): { error: { code: ApiErrorCode; message: string; details: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}
