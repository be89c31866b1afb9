// The DestinationConnector contract's all-or-nothing loads, aborts, names and close (test support,
// see destination.contract.ts).
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CancelledError, TerminalError } from '@dxa/errors';
import type { LoadFile, StageConnector } from '../core/types.js';
import type { DestinationContractContext } from './destination-harness.js';
import { ctx, rejectionOf } from './support.js';

const OLD_ROWS = [
  ['100', 'old-1'],
  ['101', 'old-2'],
];

/** The stage, aborting `controller` when the destination reaches for the part after `parts` parts. */
function abortingStage(stage: StageConnector, controller: AbortController, parts: number): StageConnector {
  let reached = 0;
  const reach = () => {
    reached += 1;
    if (reached > parts) controller.abort();
  };
  return {
    ...stage,
    localPath(relPath) {
      reach();
      return stage.localPath(relPath);
    },
    read(relPath, runCtx) {
      reach();
      return stage.read(relPath, runCtx);
    },
  };
}

export function destinationFailureTests(fx: DestinationContractContext): void {
  const dest = () => fx.harness.destination;
  const rows = (table: string) =>
    fx.harness.select(`SELECT CAST(id AS VARCHAR), name FROM ${table} ORDER BY id`);

  /** Good parts whose second one is then overwritten with garbage. */
  async function goodThenGarbage(format: 'parquet' | 'csv'): Promise<LoadFile[]> {
    const files = await fx.parts(format);
    const second = fx.stage.localPath(files[1]?.relPath ?? '') ?? '';
    await writeFile(second, format === 'csv' ? gzipSync('id,name\n1,2,3,4\n') : 'this is not parquet');
    return files;
  }

  describe('all or nothing', () => {
    it.each([
      ['replace', 'parquet'],
      ['append', 'parquet'],
      ['truncate', 'parquet'],
      ['replace', 'csv'],
      ['append', 'csv'],
      ['truncate', 'csv'],
    ] as const)(
      '%s with a corrupt second %s part fails and leaves the previous table',
      async (mode, format) => {
        const table = `contract_fail_${mode}_${format}`;
        await fx.previous(table, format);
        const tables = await fx.harness.tables();
        const files = await goodThenGarbage(format);
        const error = await rejectionOf(dest().load(fx.request(table, mode, format, files), fx.stage, ctx()));
        expect(error).toMatchObject({ name: 'TerminalError', code: 'LOAD_ERROR' });
        expect(await rows(table)).toEqual(OLD_ROWS);
        expect(await fx.harness.tables()).toEqual(tables);
      },
    );

    it('create with a corrupt part leaves no table behind', async () => {
      const tables = await fx.harness.tables();
      const files = await goodThenGarbage('csv');
      const failed = dest().load(fx.request('contract_fail_create', 'create', 'csv', files), fx.stage, ctx());
      expect(await rejectionOf(failed)).toMatchObject({ code: 'LOAD_ERROR' });
      expect(await dest().tableExists('contract_fail_create', ctx())).toBe(false);
      expect(await fx.harness.tables()).toEqual(tables);
    });

    it('rows that disagree with the manifest are an INTEGRITY_ERROR, and the previous table stays', async () => {
      const table = 'contract_fail_counts';
      await fx.previous(table, 'parquet');
      const files = (await fx.parts('parquet')).map((f) => ({ ...f, rows: f.rows + 1 }));
      const failed = dest().load(fx.request(table, 'replace', 'parquet', files), fx.stage, ctx());
      expect(await rejectionOf(failed)).toMatchObject({ name: 'TerminalError', code: 'INTEGRITY_ERROR' });
      expect(await rows(table)).toEqual(OLD_ROWS);
    });
  });

  describe('abort', () => {
    it('a signal aborted before the load changes nothing', async () => {
      const table = 'contract_abort_early';
      await fx.previous(table, 'parquet');
      const signal = AbortSignal.abort();
      const files = await fx.parts('parquet');
      expect(
        await rejectionOf(dest().load(fx.request(table, 'replace', 'parquet', files), fx.stage, { signal })),
      ).toBeInstanceOf(CancelledError);
      expect(await rows(table)).toEqual(OLD_ROWS);
    });

    it.each(['replace', 'append', 'truncate'] as const)(
      '%s aborted while reading its parts leaves the previous table and no scratch table',
      async (mode) => {
        const table = `contract_abort_${mode}`;
        await fx.previous(table, 'csv');
        const tables = await fx.harness.tables();
        const controller = new AbortController();
        const stage = abortingStage(fx.stage, controller, 1);
        const files = await fx.parts('csv');
        const load = dest().load(fx.request(table, mode, 'csv', files), stage, { signal: controller.signal });
        expect(await rejectionOf(load)).toBeInstanceOf(CancelledError);
        expect(controller.signal.aborted).toBe(true);
        expect(await rows(table)).toEqual(OLD_ROWS);
        expect(await fx.harness.tables()).toEqual(tables);
      },
    );
  });

  it('refuses a table name that is not an identifier, naming it', async () => {
    const error = await rejectionOf(dest().tableExists('orders; DROP TABLE x', ctx()));
    expect(error).toBeInstanceOf(TerminalError);
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('orders; DROP TABLE x') as unknown,
    });
  });

  it('close() may be called again', async () => {
    const other = fx.harness.open();
    await other.check(ctx());
    await other.close();
    await expect(other.close()).resolves.toBeUndefined();
  });
}
