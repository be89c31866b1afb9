// Contract suite for DestinationConnector (test support, never imported by product code). Every
// destination's tests call describeDestinationContract against its real engine or protocol fake.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalError } from '@dxa/errors';
import { createLogger } from '@dxa/logger';
import type { LoadFile, StageConnector } from '../core/types.js';
import { createLocalStage } from '../stages/local/index.js';
import { destinationFailureTests } from './destination-failure.contract.js';
import type { DestinationContractContext, DestinationContractHarness } from './destination-harness.js';
import { DESTINATION_COLUMNS, DESTINATION_ROWS_SQL, writeDuckdbPart } from './destination-parts.js';
import { ctx, rejectionOf } from './support.js';

/** Every column of the contract's rows as text, as the harness's select() returns it. */
const content = (fx: DestinationContractContext, table: string) =>
  fx.harness.select(`SELECT CAST(id AS VARCHAR), name, CAST(amount AS VARCHAR), CAST(flag AS VARCHAR),
                            ${fx.harness.binaryHex('data')}, CAST(ts AS VARCHAR), CAST("Day Of" AS VARCHAR)
                       FROM ${table} ORDER BY id`);
const EXPECTED = [
  ['1', 'alpha', '12.34', 'true', '00ff', '2024-01-02 03:04:05.123456', '2024-02-29'],
  ['2', '', null, 'false', '', null, null],
  ['3', null, '-0.50', null, null, '1999-12-31 23:59:59', '0001-01-01'],
  ['4', 'a "quoted", comma\nnewline', '0.01', 'true', '78', null, '2000-01-01'],
  ['5', 'ünïcödé ✓ 😀', null, 'false', null, '2000-01-01 00:00:00.000001', null],
];

/** Runs the DestinationConnector contract against the harness `start` builds (once for the file). */
export function describeDestinationContract(
  name: string,
  start: () => Promise<DestinationContractHarness>,
): void {
  describe(`${name}: DestinationConnector contract`, () => {
    let dir = '';
    let folders = 0;
    let jobs = 0;
    const fx = {
      async parts(format) {
        folders += 1;
        const ext = format === 'parquet' ? 'parquet' : 'csv.gz';
        const files = [
          { relPath: `run${folders}/part-00001.${ext}`, localPath: undefined, rows: 3 },
          { relPath: `run${folders}/part-00002.${ext}`, localPath: undefined, rows: 2 },
        ];
        const where = ['id <= 3', 'id > 3'];
        for (const [i, f] of files.entries())
          await writeDuckdbPart(
            local(fx.stage, f),
            format,
            DESTINATION_ROWS_SQL,
            DESTINATION_COLUMNS,
            where[i],
          );
        return files;
      },
      async previous(table, format, narrow = false) {
        folders += 1;
        const ext = format === 'parquet' ? 'parquet' : 'csv.gz';
        const file = { relPath: `old${folders}/part-00001.${ext}`, localPath: undefined, rows: 2 };
        const columns = narrow ? DESTINATION_COLUMNS.slice(0, 2) : DESTINATION_COLUMNS;
        const oldRows = `SELECT id + 99 AS id, 'old-' || id AS name${narrow ? '' : ', amount, flag, data, ts, "Day Of"'}
                           FROM (${DESTINATION_ROWS_SQL}) WHERE id <= 2`;
        await writeDuckdbPart(local(fx.stage, file), format, oldRows, columns);
        const request = { ...fx.request(table, 'create', format, [file]), columns };
        await fx.harness.destination.load(request, fx.stage, ctx());
      },
      request(table, mode, format, files) {
        jobs += 1;
        return { table, mode, columns: DESTINATION_COLUMNS, format, files, jobId: `contract-job-${jobs}` };
      },
    } as DestinationContractContext;
    const dest = () => fx.harness.destination;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'dxa-destination-contract-'));
      fx.stage = createLocalStage({ type: 'local', path: dir }, createLogger('destination-contract'));
      fx.harness = await start();
    });
    afterAll(async () => {
      await fx.harness?.destination.close();
      await fx.harness?.cleanup();
      if (dir !== '') await rm(dir, { recursive: true, force: true });
    });

    it('check() passes; tableExists() and count() see only tables that exist', async () => {
      await expect(dest().check(ctx())).resolves.toBeUndefined();
      expect(await dest().tableExists('contract_nowhere', ctx())).toBe(false);
      const error = await rejectionOf(dest().count('contract_nowhere', ctx()));
      expect(error).toBeInstanceOf(TerminalError);
      // Named as the engine spells it (Snowflake upper-cases an unquoted name).
      expect(error.message.toLowerCase()).toContain('contract_nowhere');
    });

    describe.each(['parquet', 'csv'] as const)('loads %s parts', (format) => {
      it('create: every row and value, NULL apart from empty text', async () => {
        const table = `contract_create_${format}`;
        expect(
          await dest().load(fx.request(table, 'create', format, await fx.parts(format)), fx.stage, ctx()),
        ).toEqual({ rows: 5 });
        expect(await content(fx, table)).toEqual(EXPECTED);
        expect(await dest().tableExists(table, ctx())).toBe(true);
        expect(await dest().count(table, ctx())).toBe(5);
      });

      it('replace: the new rows and definition take the old table’s place, leaving no other table', async () => {
        const table = `contract_replace_${format}`;
        await fx.previous(table, format, true);
        const tables = await fx.harness.tables();
        expect(
          await dest().load(fx.request(table, 'replace', format, await fx.parts(format)), fx.stage, ctx()),
        ).toEqual({ rows: 5 });
        expect(await content(fx, table)).toEqual(EXPECTED);
        expect(await fx.harness.tables()).toEqual(tables);
      });

      it('append: adds to an existing table and creates a missing one', async () => {
        const table = `contract_append_${format}`;
        const files = await fx.parts(format);
        await dest().load(fx.request(table, 'append', format, files), fx.stage, ctx());
        expect(await dest().load(fx.request(table, 'append', format, files), fx.stage, ctx())).toEqual({
          rows: 5,
        });
        expect(await dest().count(table, ctx())).toBe(10);
      });

      it('truncate: replaces the rows of an existing table and creates a missing one', async () => {
        const table = `contract_truncate_${format}`;
        await fx.previous(table, format);
        expect(
          await dest().load(fx.request(table, 'truncate', format, await fx.parts(format)), fx.stage, ctx()),
        ).toEqual({ rows: 5 });
        expect(await content(fx, table)).toEqual(EXPECTED);
        const fresh = `contract_truncate_new_${format}`;
        await dest().load(fx.request(fresh, 'truncate', format, await fx.parts(format)), fx.stage, ctx());
        expect(await dest().count(fresh, ctx())).toBe(5);
      });
    });

    it('create refuses an existing table with TARGET_EXISTS and leaves it as it was', async () => {
      const table = 'contract_exists';
      await fx.previous(table, 'parquet');
      const error = await rejectionOf(
        dest().load(fx.request(table, 'create', 'parquet', await fx.parts('parquet')), fx.stage, ctx()),
      );
      expect(error).toMatchObject({ name: 'TerminalError', code: 'TARGET_EXISTS' });
      expect(await fx.harness.select(`SELECT CAST(id AS VARCHAR), name FROM ${table} ORDER BY id`)).toEqual([
        ['100', 'old-1'],
        ['101', 'old-2'],
      ]);
    });

    it('loads zero files as an empty table', async () => {
      expect(
        await dest().load(fx.request('contract_empty', 'create', 'parquet', []), fx.stage, ctx()),
      ).toEqual({ rows: 0 });
      expect(await dest().tableExists('contract_empty', ctx())).toBe(true);
      expect(await dest().count('contract_empty', ctx())).toBe(0);
    });

    destinationFailureTests(fx);
  });
}

function local(stage: StageConnector, file: LoadFile): string {
  const where = stage.localPath(file.relPath);
  if (where === undefined) throw new Error('the contract writes its parts into a local stage');
  return where;
}

export type { DestinationContractHarness } from './destination-harness.js';
