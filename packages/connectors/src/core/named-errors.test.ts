import { Readable } from 'node:stream';
import { CancelledError, TerminalError, TransientError } from '@dxa/errors';
import { describe, expect, it } from 'vitest';
import { withNamedErrors } from './named-errors.js';

const label = 'source connection "pg_erp" (postgresql)';

function failingStream(): Readable {
  return new Readable({
    read() {
      this.destroy(new TransientError('CONNECTION_FAILED', 'extract t: connection reset'));
    },
  });
}

const connector = {
  kind: 'postgresql',
  check: () => Promise.reject(new TransientError('CONNECTION_FAILED', 'connect ECONNREFUSED 127.0.0.1:1')),
  describe: () => {
    throw new TerminalError('SOURCE_NOT_FOUND', 'describe public.t: relation does not exist');
  },
  extractCsv: () => Promise.resolve(failingStream()),
  cancelled: () => Promise.reject(new CancelledError('extract t: cancelled')),
  validationEndpoint: () => ({ query: () => Promise.reject(new Error('validate: boom')) }),
  localPath: (p: string) => `/stage/${p}`,
};

describe('withNamedErrors', () => {
  const named = withNamedErrors(connector, label);

  it('names the connection in rejections and throws, keeping class, code and message', async () => {
    const rejected = await named.check().catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(TransientError);
    expect(rejected).toMatchObject({
      code: 'CONNECTION_FAILED',
      message: `${label}: connect ECONNREFUSED 127.0.0.1:1`,
    });
    expect(() => named.describe()).toThrow(`${label}: describe public.t: relation does not exist`);
  });

  it('names it once, however many times the error passes through', async () => {
    const again = withNamedErrors(named, label);
    const err = (await again.check().catch((e: unknown) => e)) as Error;
    expect(err.message.split(label)).toHaveLength(2);
  });

  it('names errors a returned stream emits later', async () => {
    const stream = await named.extractCsv();
    const err = await new Promise<Error>((resolve) => stream.on('error', resolve).resume());
    expect(err.message).toBe(`${label}: extract t: connection reset`);
  });

  it("names a validation endpoint's errors and leaves cancellations and plain values alone", async () => {
    await expect(named.validationEndpoint().query()).rejects.toThrow(`${label}: validate: boom`);
    await expect(named.cancelled()).rejects.toThrow(/^extract t: cancelled$/);
    expect(named.localPath('a.csv')).toBe('/stage/a.csv');
    expect(named.kind).toBe('postgresql');
  });
});
