import type { ErrorRequestHandler, RequestHandler } from 'express';
import { redact } from '@dxa/config';
import { AppError, coerceError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import { isRedisUnavailableError, type Redis } from '@dxa/queue';

/** body-parser errors carry a `type`; map them to API codes without echoing the body. */
function fromBodyParser(err: Error): AppError | undefined {
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.parse.failed')
    return new AppError('INVALID_JSON', 'the request body is not valid JSON');
  if (type === 'entity.too.large')
    return new AppError('PAYLOAD_TOO_LARGE', 'the request body is larger than 1 MiB');
  if (typeof type === 'string')
    return new AppError('BAD_REQUEST', `the request body could not be read (${type})`);
  return undefined;
}

function toAppError(thrown: unknown, redis: Redis): AppError | undefined {
  if (thrown instanceof AppError) return thrown;
  const err = coerceError(thrown);
  const parsed = fromBodyParser(err);
  if (parsed) return parsed;
  if (isRedisUnavailableError(err) || redis.status !== 'ready')
    return new AppError('UNAVAILABLE', 'Redis is unreachable; try again shortly');
  return undefined;
}

/** The one error middleware: AppError → its status and `{error: {code, message, details}}`. */
export function errorHandler(deps: { logger: Logger; redis: Redis }): ErrorRequestHandler {
  return (thrown: unknown, req, res, next) => {
    if (res.headersSent) {
      next(thrown);
      return;
    }
    const known = toAppError(thrown, deps.redis);
    const appError = known ?? new AppError('INTERNAL', 'internal error; see the gateway log');
    if (!known) {
      const err = coerceError(thrown);
      deps.logger.error('request failed', {
        method: req.method,
        path: req.path,
        error: redact(err.message),
        stack: redact(err.stack),
      });
    } else if (appError.status >= 500) {
      deps.logger.warn('request failed', {
        method: req.method,
        path: req.path,
        code: appError.code,
        error: appError.message,
      });
    }
    res.status(appError.status).json(appError.toBody());
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `no route ${req.method} ${req.path.slice(0, 200)}`));
};
