import { RestError } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { scrubMessage, wrapAzureError } from './errors.js';

const target = { operation: 'upload', location: 'azure://acc/box/pre/a.csv', container: 'box' };
const live = new AbortController().signal;
const KEY = 'a2V5LWJ5dGVzLXNlY3JldA==';
const SAS = 'sv=2025-01-05&se=2030-01-01&sr=c&sp=rl&sig=AbC%2FdEf%3D';

function restError(code: string | undefined, status: number | undefined, message?: string): RestError {
  return new RestError(
    message ??
      `${code ?? 'failure'} for https://acc.blob.core.windows.net/box/pre/a.csv?${SAS}\nRequestId:1\nTime:now`,
    { code, statusCode: status },
  );
}

describe('wrapAzureError', () => {
  it.each([
    ['AuthenticationFailed', 403],
    ['AuthorizationFailure', 403],
    ['AuthorizationPermissionMismatch', 403],
    ['InvalidAuthenticationInfo', 400],
    ['ContainerNotFound', 404],
    ['BlobNotFound', 404],
    [undefined, 401],
    ['InvalidHeaderValue', 400],
  ])('treats %s (HTTP %s) as terminal, naming the blob and never the SAS', (code, status) => {
    const wrapped = wrapAzureError(restError(code, status), target, live, [KEY, SAS]);
    expect(wrapped).toMatchObject({ name: 'TerminalError', code: 'STAGE_ERROR' });
    expect(wrapped.message).toContain('azure://acc/box/pre/a.csv');
    if (code) expect(wrapped.message).toContain(code);
    expect(wrapped.message).toContain('https://acc.blob.core.windows.net/box/pre/a.csv');
    expect(wrapped.message).not.toContain('sig=');
    expect(wrapped.message).not.toContain('RequestId');
    expect(wrapped.cause).toBeUndefined();
  });

  it('says plainly that the container does not exist', () => {
    const wrapped = wrapAzureError(restError('ContainerNotFound', 404), target, live, []);
    expect(wrapped.message).toContain('container "box" does not exist');
  });

  it.each([
    ['ServerBusy', 503],
    ['InternalError', 500],
    ['OperationTimedOut', 500],
    [undefined, 429],
    [undefined, 502],
  ])('treats %s (HTTP %s) as transient', (code, status) => {
    expect(wrapAzureError(restError(code, status), target, live, [])).toMatchObject({
      name: 'TransientError',
      code: 'STAGE_ERROR',
    });
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'REQUEST_SEND_ERROR'])(
    'treats the network failure %s as transient',
    (code) => {
      const err = new RestError(`connect ${code} 127.0.0.1:1`, { code });
      expect(wrapAzureError(err, target, live, [])).toMatchObject({ name: 'TransientError' });
    },
  );

  it('treats an identity that cannot get a token as terminal', () => {
    const err = Object.assign(new Error('DefaultAzureCredential failed to retrieve a token'), {
      name: 'CredentialUnavailableError',
    });
    expect(wrapAzureError(err, target, live, [])).toMatchObject({
      name: 'TerminalError',
      code: 'STAGE_ERROR',
    });
  });

  it('removes known secrets even outside URLs', () => {
    const err = restError(
      'AuthenticationFailed',
      403,
      `signature made with ${KEY} did not match; AccountKey=${KEY}`,
    );
    const wrapped = wrapAzureError(err, target, live, [KEY]);
    expect(wrapped.message).not.toContain(KEY);
    expect(JSON.stringify(wrapped)).not.toContain(KEY);
  });

  it('turns an abort of our signal into a cancel, and any other abort into a transient failure', () => {
    const abortErr = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    expect(wrapAzureError(abortErr, target, AbortSignal.abort(), [])).toMatchObject({
      name: 'CancelledError',
    });
    expect(wrapAzureError(restError('InternalError', 500), target, AbortSignal.abort(), [])).toMatchObject({
      name: 'CancelledError',
    });
    // The SDK's download stream reports a dropped connection this way.
    expect(wrapAzureError(abortErr, target, live, [])).toMatchObject({ name: 'TransientError' });
  });
});

describe('scrubMessage', () => {
  it('drops query strings from every URL and masks stray signatures', () => {
    expect(
      scrubMessage(`GET http://127.0.0.1:1/acc/c/x?${SAS} then https://h/p?a=1#frag; also sig=zzz&x=1`, []),
    ).toBe('GET http://127.0.0.1:1/acc/c/x then https://h/p#frag; also sig=***&x=1');
  });
});
