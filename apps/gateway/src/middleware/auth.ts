import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '@dxa/errors';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function presentedKey(
  authorization: string | undefined,
  apiKeyHeader: string | undefined,
): string | undefined {
  const bearer = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim()) : null;
  if (bearer) return bearer[1]!.trim();
  return apiKeyHeader?.trim() || undefined;
}

/**
 * Requires `Authorization: Bearer <key>` or `X-API-Key: <key>`. Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of the presented key.
 */
export function requireApiKey(key: string): RequestHandler {
  const expected = digest(key);
  return (req, res, next) => {
    const presented = presentedKey(req.get('authorization'), req.get('x-api-key'));
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer');
    next(
      new AppError(
        'UNAUTHORIZED',
        presented === undefined
          ? 'an API key is required (Authorization: Bearer <key> or X-API-Key)'
          : 'the API key is not valid',
      ),
    );
  };
}
