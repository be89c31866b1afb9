// The StageConnector contract's paths, locations, credentials and close (test support, see stage.contract.ts).
import { describe, expect, it } from 'vitest';
import { TerminalError } from '@dxa/errors';
import type { StageContractContext } from './stage-harness.js';
import { ctx, expectNoSecret, rejectionOf } from './support.js';

/** Paths that would leave the stage or name no file; '' is the stage root, never a file. */
const ESCAPING = ['../x', 'a/../../x', '..', 'a/..', 'a\0b'];

export function stageSafetyTests(fx: StageContractContext): void {
  describe('paths, locations and credentials', () => {
    it('refuses paths that escape the stage or name no file, and touches nothing outside it', async () => {
      const stage = fx.fresh();
      const store = fx.harness.open('');
      try {
        // Where `../x` from the stage would land: an escaping remove would delete it.
        await store.putText('x/keep', 'sentinel', ctx());
        const before = await store.list('', ctx());
        for (const bad of [...ESCAPING, '']) {
          for (const attempt of [
            () => stage.putText(bad, 'x', ctx()),
            () => stage.getText(bad, ctx()),
            () => stage.read(bad, ctx()),
          ]) {
            const error = await rejectionOf(attempt());
            expect(error, JSON.stringify(bad)).toBeInstanceOf(TerminalError);
            expect(error).toMatchObject({ code: 'STAGE_ERROR' });
          }
        }
        // As a string prefix inside the stage, `..` may also match nothing; either way nothing outside goes.
        for (const bad of ESCAPING)
          await stage
            .remove(bad, ctx())
            .catch((err: unknown) => expect(err).toMatchObject({ code: 'STAGE_ERROR' }));
        expect(await store.list('', ctx())).toEqual(before);
      } finally {
        await store.close();
      }
    });

    it('describe() locates a staged file without credentials', () => {
      const stage = fx.fresh();
      const location = stage.describe('run1/part-00001.csv.gz');
      expect(location).toBe(fx.harness.location(fx.root(), 'run1/part-00001.csv.gz'));
      expectNoSecret(new Error(location), fx.harness.secrets);
    });

    it('externalLocation() addresses the stage root for a cloud stage, and is absent otherwise', () => {
      const stage = fx.fresh();
      const expected = fx.harness.external?.(fx.root());
      if (expected === undefined) {
        expect('externalLocation' in stage && stage.externalLocation !== undefined).toBe(false);
        return;
      }
      const location = stage.externalLocation?.();
      expect({ kind: location?.kind, url: location?.url }).toEqual(expected);
      expect(location?.url.endsWith('/')).toBe(true);
      expectNoSecret(new Error(location?.url), fx.harness.secrets);
    });

    it('errors never carry credentials; refused credentials are a terminal error', async () => {
      const missing = await rejectionOf(fx.fresh().read('nope/part-1.bin', ctx()));
      expectNoSecret(missing, fx.harness.secrets);
      const rejected = fx.harness.rejected?.();
      if (rejected === undefined) {
        // A stage that cannot be refused for its credentials carries none.
        expect(fx.harness.secrets).toEqual([]);
        return;
      }
      try {
        for (const attempt of [
          () => rejected.stage.check(ctx()),
          () => rejected.stage.putText('r/x', 'x', ctx()),
        ]) {
          const error = await rejectionOf(attempt());
          expect(error).toBeInstanceOf(TerminalError);
          expectNoSecret(error, rejected.secrets);
        }
      } finally {
        await rejected.stage.close();
      }
    });

    it('close() may be called again', async () => {
      const stage = fx.harness.open(fx.root());
      await stage.check(ctx());
      await stage.close();
      await expect(stage.close()).resolves.toBeUndefined();
    });
  });
}
