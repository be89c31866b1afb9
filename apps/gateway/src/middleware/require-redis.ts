import type { RequestHandler } from 'express';
import { AppError } from '@dxa/errors';
import type { Redis } from '@dxa/queue';

/** Answers 503 at once while the Redis connection is down, instead of waiting for a timeout. */
export function requireRedis(redis: Redis): RequestHandler {
  return (_req, _res, next) => {
    next(
      redis.status === 'ready'
        ? undefined
        : new AppError('UNAVAILABLE', 'Redis is unreachable; try again shortly'),
    );
  };
}
