// Contract suite for StageConnector (test support, never imported by product code). Every stage's
// tests call describeStageContract against its real store or emulator; a new stage proves it fits by passing.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, TerminalError } from '@dxa/errors';
import type { StageConnector } from '../core/types.js';
import type { StageContractContext, StageContractHarness } from './stage-harness.js';
import { stageSafetyTests } from './stage-safety.contract.js';
import { ctx, rejectionOf } from './support.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Runs the StageConnector contract against the harness `start` builds (once for the file). */
export function describeStageContract(name: string, start: () => Promise<StageContractHarness>): void {
  describe(`${name}: StageConnector contract`, () => {
    const opened: StageConnector[] = [];
    let dir = '';
    let roots = 0;
    const fx = {
      fresh() {
        roots += 1;
        const stage = fx.harness.open(fx.root());
        opened.push(stage);
        return stage;
      },
      root: () => `contract-${roots}`,
      async file(bytes: number) {
        const data = randomBytes(bytes);
        const file = path.join(dir, `part-${randomBytes(4).toString('hex')}.bin`);
        await writeFile(file, data);
        return { file, sha256: sha256(data) };
      },
    } as StageContractContext;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'dxa-stage-contract-'));
      fx.harness = await start();
    });
    afterAll(async () => {
      await Promise.all(opened.map((stage) => stage.close()));
      await fx.harness?.cleanup();
      if (dir !== '') await rm(dir, { recursive: true, force: true });
    });

    it('check() passes', async () => {
      await expect(fx.fresh().check(ctx())).resolves.toBeUndefined();
    });

    it('put() stores a file and returns its size; list and read agree byte for byte', async () => {
      const stage = fx.fresh();
      const { file, sha256: expected } = await fx.file(3 * 1024 * 1024 + 17);
      const bytes = 3 * 1024 * 1024 + 17;
      expect(await stage.put(file, 'run1/part-00001.bin', ctx())).toEqual({
        path: 'run1/part-00001.bin',
        bytes,
      });
      expect(await stage.list('run1/', ctx())).toEqual([{ path: 'run1/part-00001.bin', bytes }]);
      const chunks: Buffer[] = [];
      for await (const chunk of await stage.read('run1/part-00001.bin', ctx())) chunks.push(chunk as Buffer);
      expect(sha256(Buffer.concat(chunks))).toBe(expected);
    });

    it('putText() and getText() round-trip UTF-8; a second put replaces the object', async () => {
      const stage = fx.fresh();
      const manifest = '{"name":"ünïcödé ✓ 😀","rows":3}';
      expect(await stage.putText('r/_manifest.json', manifest, ctx())).toEqual({
        path: 'r/_manifest.json',
        bytes: Buffer.byteLength(manifest),
      });
      expect(await stage.getText('r/_manifest.json', ctx())).toBe(manifest);
      await stage.putText('r/_manifest.json', 'second', ctx());
      expect(await stage.getText('r/_manifest.json', ctx())).toBe('second');
      const { file } = await fx.file(10);
      await stage.put(file, 'r/_manifest.json', ctx());
      expect(await stage.list('r/', ctx())).toEqual([{ path: 'r/_manifest.json', bytes: 10 }]);
    });

    it('a missing object: getText() is undefined, read() is a terminal STAGE_ERROR naming it', async () => {
      const stage = fx.fresh();
      expect(await stage.getText('nope/_manifest.json', ctx())).toBeUndefined();
      const error = await rejectionOf(stage.read('nope/data.csv', ctx()));
      expect(error).toBeInstanceOf(TerminalError);
      expect(error).toMatchObject({
        code: 'STAGE_ERROR',
        message: expect.stringContaining('nope/data.csv') as unknown,
      });
    });

    it('list() matches a string prefix, sorted, with paths relative to the stage', async () => {
      const stage = fx.fresh();
      for (const p of ['r1/b/part-2', 'r1/_manifest.json', 'r10/part-1']) await stage.putText(p, 'xy', ctx());
      expect((await stage.list('r1/', ctx())).map((o) => o.path)).toEqual([
        'r1/_manifest.json',
        'r1/b/part-2',
      ]);
      expect((await stage.list('r1', ctx())).map((o) => o.path)).toEqual([
        'r1/_manifest.json',
        'r1/b/part-2',
        'r10/part-1',
      ]);
      expect(await stage.list('nothing/', ctx())).toEqual([]);
    });

    it('remove() deletes everything under a prefix and nothing else, not even in another stage', async () => {
      const stage = fx.fresh();
      const neighbour = fx.fresh();
      await neighbour.putText('r1/keep', 'k', ctx());
      for (const p of ['r1/a', 'r1/b/c', 'r10/d']) await stage.putText(p, 'v', ctx());
      await stage.remove('r1/', ctx());
      expect((await stage.list('', ctx())).map((o) => o.path)).toEqual(['r10/d']);
      await stage.remove('', ctx());
      expect(await stage.list('', ctx())).toEqual([]);
      expect(await neighbour.list('', ctx())).toEqual([{ path: 'r1/keep', bytes: 1 }]);
      await expect(stage.remove('gone/', ctx())).resolves.toBeUndefined();
    });

    it('localPath() names the staged file only for a local stage', async () => {
      const stage = fx.fresh();
      await stage.putText('r/a.txt', 'local?', ctx());
      const local = stage.localPath('r/a.txt');
      if (fx.harness.local) expect(await readFile(local ?? '', 'utf8')).toBe('local?');
      else expect(local).toBeUndefined();
    });

    it('refuses to start once aborted and writes nothing', async () => {
      const stage = fx.fresh();
      const { file } = await fx.file(10);
      const signal = AbortSignal.abort();
      expect(await rejectionOf(stage.putText('r/a', 'x', { signal }))).toBeInstanceOf(CancelledError);
      expect(await rejectionOf(stage.put(file, 'r/b', { signal }))).toBeInstanceOf(CancelledError);
      expect(await stage.list('', ctx())).toEqual([]);
    });

    stageSafetyTests(fx);
  });
}

export { joinStagePath, type StageContractHarness } from './stage-harness.js';
