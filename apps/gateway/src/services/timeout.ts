import { AppError } from '@dxa/errors';
import { isRedisUnavailableError } from '@dxa/queue';

/** How long a request waits on Redis before answering 503. */
export const REDIS_OP_TIMEOUT_MS = 5_000;

/**
 * Bounds a Redis-backed operation: BullMQ waits for a lost connection instead of failing, so the
 * gateway gives up after `ms` and answers 503 rather than hanging the request.
 */
export async function withRedisTimeout<T>(
  work: Promise<T>,
  what: string,
  ms = REDIS_OP_TIMEOUT_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AppError('UNAVAILABLE', `Redis did not answer in time (${what})`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (err) {
    if (isRedisUnavailableError(err)) throw new AppError('UNAVAILABLE', `Redis is unreachable (${what})`);
    throw err;
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined); // a late rejection after the timeout is not an unhandled one
  }
}
