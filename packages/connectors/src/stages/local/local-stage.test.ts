import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TerminalError } from '@dxa/errors';
import { createLogger } from '@dxa/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunContext, StageConnector } from '../../core/types.js';
import { copyDurably, writeAtomically } from './durable-fs.js';
import { createLocalStage } from './local-stage.js';

const ctx: RunContext = { signal: new AbortController().signal };
const logger = createLogger('local-stage-test');

let dir: string;
let root: string;
let stage: StageConnector;

async function workFile(name: string, content: string): Promise<string> {
  const file = path.join(dir, 'work', name);
  await writeFile(file, content);
  return file;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dxa-local-stage-'));
  await writeFile(path.join(dir, 'outside.txt'), 'secret');
  await mkdir(path.join(dir, 'work'));
  root = path.join(dir, 'stage');
  stage = createLocalStage({ type: 'local', path: root }, logger);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Round trips, listing, removal, escaping paths, locations and aborts: contract.test.ts.
describe('local stage', () => {
  it('creates its root on check', async () => {
    await stage.check(ctx);
    expect((await stat(root)).isDirectory()).toBe(true);
  });

  it('moves a file in, reports its size and leaves no source behind', async () => {
    const src = await workFile('part-00001.csv.gz', 'abcdef');
    const staged = await stage.put(src, 'run1/orders/part-00001.csv.gz', ctx);
    expect(staged).toEqual({ path: 'run1/orders/part-00001.csv.gz', bytes: 6 });
    expect(existsSync(src)).toBe(false);
    expect(await readFile(path.join(root, 'run1/orders/part-00001.csv.gz'), 'utf8')).toBe('abcdef');
    expect(stage.localPath('run1/orders/part-00001.csv.gz')).toBe(
      path.join(root, 'run1/orders/part-00001.csv.gz'),
    );
  });

  it('moves a file in from another filesystem (/dev/shm when present)', async () => {
    const otherFs = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const srcDir = await mkdtemp(path.join(otherFs, 'dxa-local-stage-src-'));
    try {
      const src = path.join(srcDir, 'part-00001.parquet');
      await writeFile(src, Buffer.alloc(70_000, 7));
      expect(await stage.put(src, 'run1/part-00001.parquet', ctx)).toEqual({
        path: 'run1/part-00001.parquet',
        bytes: 70_000,
      });
      expect(existsSync(src)).toBe(false);
      expect(await readdir(path.join(root, 'run1'))).toEqual(['part-00001.parquet']);
    } finally {
      await rm(srcDir, { recursive: true, force: true });
    }
  });

  it('writes text atomically, leaving no temporary file', async () => {
    await stage.putText('run1/_manifest.json', '{"rows":3}', ctx);
    await stage.putText('run1/_manifest.json', '{"rows":4}', ctx);
    expect(await readdir(path.join(root, 'run1'))).toEqual(['_manifest.json']);
  });

  it('lists without temporary files', async () => {
    await stage.putText('run1/a/part-1', 'a', ctx);
    await writeFile(path.join(root, 'run1/a/part-3.tmp'), 'partial');
    expect(await stage.list('run1/', ctx)).toEqual([{ path: 'run1/a/part-1', bytes: 1 }]);
  });

  it('lists nothing before the root exists', async () => {
    expect(await stage.list('', ctx)).toEqual([]);
  });

  it('removes temporary files and the folders it empties', async () => {
    await stage.putText('run1/a/part-1', 'a', ctx);
    await stage.putText('run1/b/part-2', 'b', ctx);
    await writeFile(path.join(root, 'run1/a/part-3.tmp'), 'partial');
    await stage.putText('run10/part-1', 'c', ctx);
    await stage.remove('run1/', ctx);
    expect(existsSync(path.join(root, 'run1'))).toBe(false);
    expect((await stage.list('', ctx)).map((o) => o.path)).toEqual(['run10/part-1']);
    await stage.remove('', ctx);
    expect(await readdir(root)).toEqual([]);
  });

  it.each(['/etc/passwd', 'C:\\x', '../outside.txt'])('refuses the path %j', async (bad) => {
    await expect(stage.getText(bad, ctx)).rejects.toBeInstanceOf(TerminalError);
    await expect(stage.putText(bad, 'x', ctx)).rejects.toMatchObject({ code: 'STAGE_ERROR' });
    expect(() => stage.localPath(bad)).toThrow(TerminalError);
    expect(await readFile(path.join(dir, 'outside.txt'), 'utf8')).toBe('secret');
  });
});

describe('durable file helpers', () => {
  it('copies through a temporary file and leaves only the destination', async () => {
    const src = await workFile('src.bin', 'x'.repeat(100_000));
    const dest = path.join(dir, 'work', 'dest.bin');
    await copyDurably(src, dest, ctx.signal);
    expect((await stat(dest)).size).toBe(100_000);
    expect((await readdir(path.join(dir, 'work'))).sort()).toEqual(['dest.bin', 'src.bin']);
  });

  it('leaves no temporary file when a copy fails', async () => {
    const dest = path.join(dir, 'work', 'dest.bin');
    await expect(copyDurably(path.join(dir, 'missing'), dest, ctx.signal)).rejects.toThrow();
    expect(await readdir(path.join(dir, 'work'))).toEqual([]);
  });

  it('replaces a file atomically', async () => {
    const file = path.join(dir, 'work', 'm.json');
    await writeAtomically(file, 'old');
    await writeAtomically(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(path.join(dir, 'work'))).toEqual(['m.json']);
  });
});
