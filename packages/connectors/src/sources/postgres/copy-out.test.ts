import { PassThrough } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import type { Connection } from 'pg';
import { describe, expect, it } from 'vitest';
import { CopyOutStream } from './copy-out.js';

/** One backend message: type byte, int32 length (itself included), payload. */
function message(code: string, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(5);
  head.write(code, 0, 'latin1');
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const ROWS = Array.from({ length: 40 }, (_, i) => `${i},"row ${i}, with ""quotes""",${'x'.repeat(i % 9)}\n`);
const COPY_OUT_RESPONSE = message('H', Buffer.from([0, 0, 3, 0, 0, 0, 0, 0, 0]));
const NOTICE = message('N', 'SNOTICE\0Mhello\0\0');
const AFTER_COPY = Buffer.concat([message('C', 'COPY 40\0'), message('Z', 'I')]);

/** A fake socket fed in the given chunk sizes, and the bytes handed back to pg's parser. */
async function run(wire: Buffer, chunkSize: (i: number) => number) {
  const socket = new PassThrough();
  const handedBack: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => handedBack.push(Buffer.from(chunk)));
  const sent: string[] = [];
  const connection = { stream: socket, query: (text: string) => sent.push(text) } as unknown as Connection;
  const copy = new CopyOutStream('COPY t TO STDOUT');
  copy.submit(connection);
  const received: Buffer[] = [];
  copy.on('data', (chunk: Buffer) => received.push(Buffer.from(chunk)));
  const ended = new Promise<void>((resolve, reject) => {
    copy.once('end', resolve);
    copy.once('error', reject);
  });
  // One write per tick, so each read sees exactly one chunk, as socket reads do.
  for (let at = 0, i = 0; at < wire.length; i++) {
    const size = chunkSize(i);
    // A fresh buffer per read, as a socket gives (the reader compacts rows inside it).
    socket.write(Buffer.from(wire.subarray(at, at + size)));
    at += size;
    await tick();
  }
  return { copy, sent, received, handedBack, ended };
}

describe('CopyOutStream', () => {
  const wire = Buffer.concat([
    COPY_OUT_RESPONSE,
    ...ROWS.slice(0, 20).map((r) => message('d', r)),
    NOTICE,
    ...ROWS.slice(20).map((r) => message('d', r)),
    message('c'),
    AFTER_COPY,
  ]);

  it.each([1, 2, 3, 4, 5, 6, 7, 13, 64, 4096])(
    'yields exactly the rows and hands the rest back to pg, in %i-byte socket reads',
    async (size) => {
      const { copy, sent, received, handedBack, ended } = await run(wire, () => size);
      await ended;
      expect(sent).toEqual(['COPY t TO STDOUT']);
      expect(Buffer.concat(received).toString()).toBe(ROWS.join(''));
      expect(copy.rows).toBe(ROWS.length);
      expect(Buffer.concat(handedBack).equals(AFTER_COPY)).toBe(true);
    },
  );

  it('survives uneven reads that split headers anywhere', async () => {
    const sizes = [3, 11, 1, 29, 7, 2, 5, 17, 4];
    const { received, handedBack, ended } = await run(wire, (i) => sizes[i % sizes.length]!);
    await ended;
    expect(Buffer.concat(received).toString()).toBe(ROWS.join(''));
    expect(Buffer.concat(handedBack).equals(AFTER_COPY)).toBe(true);
  });

  it('hands an error message back to pg unconsumed and does not end the stream itself', async () => {
    const error = message('E', 'SERROR\0C57014\0Mcanceling statement due to user request\0\0');
    const failing = Buffer.concat([
      COPY_OUT_RESPONSE,
      ...ROWS.slice(0, 5).map((r) => message('d', r)),
      error,
      message('Z', 'I'),
    ]);
    for (const size of [2, 4096]) {
      const { copy, received, handedBack, ended } = await run(failing, () => size);
      expect(Buffer.concat(received).toString()).toBe(ROWS.slice(0, 5).join(''));
      expect(Buffer.concat(handedBack).equals(Buffer.concat([error, message('Z', 'I')]))).toBe(true);
      expect(copy.readableEnded).toBe(false);
      // pg reports the error to the query, which fails the stream with the wrapped error.
      copy.handleError(new Error('canceling statement due to user request'));
      await expect(ended).rejects.toThrow('canceling statement');
    }
  });

  it('wraps errors pg reports', async () => {
    const copy = new CopyOutStream('COPY t TO STDOUT', {
      wrapError: (err) => new Error(`wrapped: ${err.message}`),
    });
    const failed = new Promise<Error>((resolve) => copy.once('error', resolve));
    copy.handleError(new Error('connection terminated'));
    expect((await failed).message).toBe('wrapped: connection terminated');
  });
});
