import { describe, expect, it } from 'vitest';
import { wrapS3Error } from './errors.js';

const target = { operation: 'upload', location: 's3://bkt/pre/a.csv' };
const live = new AbortController().signal;
const SECRET = 'sEcReT/kEy+123';

function sdkError(name: string, status: number | undefined, extra: Record<string, unknown> = {}): Error {
  const err = new Error(`${name} happened; signed with ${SECRET}`);
  err.name = name;
  return Object.assign(err, { $metadata: status === undefined ? {} : { httpStatusCode: status } }, extra);
}

describe('wrapS3Error', () => {
  it.each([
    ['SignatureDoesNotMatch', 403],
    ['InvalidAccessKeyId', 403],
    ['AccessDenied', 403],
    ['NoSuchBucket', 404],
    ['Forbidden', 403],
    ['UnknownAuthThing', 401],
    ['InvalidArgument', 400],
  ])('treats %s (HTTP %s) as terminal, naming the object and never the secret', (name, status) => {
    const wrapped = wrapS3Error(sdkError(name, status), target, live, [SECRET]);
    expect(wrapped).toMatchObject({ name: 'TerminalError', code: 'STAGE_ERROR' });
    expect(wrapped.message).toContain('s3://bkt/pre/a.csv');
    expect(wrapped.message).toContain(name);
    expect(wrapped.message).not.toContain(SECRET);
    expect(wrapped.cause).toBeUndefined();
  });

  it.each([
    ['InternalError', 500],
    ['ServiceUnavailable', 503],
    ['SlowDown', 503],
    ['TooManyRequests', 429],
    ['RequestTimeout', 400],
  ])('treats %s (HTTP %s) as transient', (name, status) => {
    expect(wrapS3Error(sdkError(name, status), target, live, [SECRET])).toMatchObject({
      name: 'TransientError',
      code: 'STAGE_ERROR',
    });
  });

  it('treats a network failure without a response as transient', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(wrapS3Error(err, target, live, [])).toMatchObject({ name: 'TransientError' });
  });

  it('turns an abort into a cancel', () => {
    const abortErr = Object.assign(new Error('Upload aborted.'), { name: 'AbortError' });
    expect(wrapS3Error(abortErr, target, live, [])).toMatchObject({ name: 'CancelledError' });
    expect(wrapS3Error(sdkError('InternalError', 500), target, AbortSignal.abort(), [])).toMatchObject({
      name: 'CancelledError',
    });
  });

  it('says what a bodyless HEAD 403 means instead of "UnknownError"', () => {
    const err = Object.assign(new Error('UnknownError'), {
      name: 'Unknown',
      $metadata: { httpStatusCode: 403 },
    });
    const wrapped = wrapS3Error(err, { operation: 'check bucket', location: 's3://bkt/' }, live, [SECRET]);
    expect(wrapped).toMatchObject({ name: 'TerminalError', code: 'STAGE_ERROR' });
    expect(wrapped.message).toMatch(/HTTP 403\): access denied \(check access_key_id/);
  });
});
