import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError } from '@dxa/errors';
import { writeCsvGzipParts } from './gzip-parts.js';
import { chunked, parseCsv } from './test-support.js';
import type { ProgressDelta } from './types.js';

const HEADER = 'id,text\n';
// Hashes keep the rows from compressing to almost nothing, so several parts are needed.
function row(i: number): string {
  const noise = createHash('md5').update(String(i)).digest('hex');
  return i % 3 === 0 ? `${i},"multi\nline ""${noise}"", with comma"\n` : `${i},plain ${noise}\n`;
}
const ROW_COUNT = 20_000;
const BODY = Array.from({ length: ROW_COUNT }, (_, i) => row(i + 1)).join('');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dxa-gzip-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const columns = [
  { name: 'id', type: 'int32' },
  { name: 'text', type: 'text' },
];

describe('writeCsvGzipParts', () => {
  it('rolls parts at the compressed size, each a header plus whole rows', async () => {
    const progress: ProgressDelta[] = [];
    const files = await writeCsvGzipParts({
      input: chunked(Buffer.from(HEADER + BODY), 7 * 1024 + 3),
      columns,
      dir,
      fileSizeBytes: 64 * 1024,
      signal: new AbortController().signal,
      onProgress: (d) => progress.push(d),
    });
    expect(files.length).toBeGreaterThan(2);
    for (const file of files.slice(0, -1)) expect(file.bytes).toBeGreaterThanOrEqual(64 * 1024);
    expect(files.map((f) => f.name)).toEqual(
      files.map((_, i) => `part-${String(i + 1).padStart(5, '0')}.csv.gz`),
    );
    const bodies: string[] = [];
    for (const file of files) {
      const bytes = await readFile(file.localPath);
      expect(file.bytes).toBe(bytes.length);
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      const text = gunzipSync(bytes).toString();
      expect(text.startsWith(HEADER)).toBe(true);
      const body = text.slice(HEADER.length);
      expect(parseCsv(body)).toHaveLength(file.rows);
      bodies.push(body);
    }
    expect(bodies.join('')).toBe(BODY);
    expect(files.reduce((n, f) => n + f.rows, 0)).toBe(ROW_COUNT);
    expect(progress.reduce((n, d) => n + d.rows, 0)).toBe(ROW_COUNT);
    expect(progress.reduce((n, d) => n + d.files, 0)).toBe(files.length);
    expect(progress.reduce((n, d) => n + d.bytes, 0)).toBe(files.reduce((n, f) => n + f.bytes, 0));
    expect((await readdir(dir)).sort()).toEqual(files.map((f) => f.name).sort());
  });

  it('keeps quoted newlines intact when fed one byte at a time', async () => {
    const input = HEADER + Array.from({ length: 40 }, (_, i) => row(i + 1)).join('');
    const files = await writeCsvGzipParts({
      input: chunked(Buffer.from(input), 1),
      columns,
      dir,
      fileSizeBytes: 1 << 20,
      signal: new AbortController().signal,
    });
    expect(files).toHaveLength(1);
    expect(gunzipSync(await readFile(files[0]!.localPath)).toString()).toBe(input);
    expect(files[0]!.rows).toBe(40);
  });

  it('writes one header-only part for a source without rows', async () => {
    const files = await writeCsvGzipParts({
      input: Readable.from([Buffer.from(HEADER)]),
      columns,
      dir,
      fileSizeBytes: 1024,
      signal: new AbortController().signal,
    });
    expect(files).toHaveLength(1);
    expect(files[0]!.rows).toBe(0);
    expect(gunzipSync(await readFile(files[0]!.localPath)).toString()).toBe(HEADER);
  });

  it('deletes every part and rejects with CancelledError when aborted mid-stream', async () => {
    const input = new PassThrough();
    const controller = new AbortController();
    let parts = 0;
    const writing = writeCsvGzipParts({
      input,
      columns,
      dir,
      fileSizeBytes: 2048,
      signal: controller.signal,
      onProgress: (d) => {
        parts += d.files;
        if (parts >= 2) controller.abort();
      },
    });
    input.write(HEADER);
    // Feeds rows until the writer stops reading; the abort comes from inside onProgress.
    for (let i = 1; !input.destroyed && i < 1_000_000; i++) {
      if (!input.write(row(i))) await new Promise((resolve) => setImmediate(resolve));
    }
    await expect(writing).rejects.toBeInstanceOf(CancelledError);
    expect(input.destroyed).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('deletes every part and rejects when the input fails', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield await Promise.resolve(Buffer.from(HEADER + BODY));
      throw new Error('source connection lost');
    }
    await expect(
      writeCsvGzipParts({
        input: Readable.from(failing()),
        columns,
        dir,
        fileSizeBytes: 4096,
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow('source connection lost');
    expect(await readdir(dir)).toEqual([]);
  });
});
