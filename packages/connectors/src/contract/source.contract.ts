// Contract suite for SourceConnector (test support, never imported by product code). Every source's
// tests call describeSourceContract against its real server; a new source proves it fits by passing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRef } from '@dxa/contracts';
import { TerminalError, TransientError } from '@dxa/errors';
import { csvRecords, eventually, parseCsv, readAll } from '@dxa/testing';
import type { SourceConnector } from '../core/types.js';
import { sourceLifecycleTests } from './source-lifecycle.contract.js';
import {
  SOURCE_FIXTURE_COLUMNS,
  SOURCE_FIXTURE_CSV,
  SOURCE_FIXTURE_ROWS,
  SOURCE_FIXTURE_TABLE,
  sourceRef,
  type SourceContractContext,
  type SourceContractHarness,
} from './source-fixture.js';
import { columnShape, ctx, expectNoSecret, rejectionOf } from './support.js';

const table = (extra: Partial<SourceRef> = {}) => sourceRef({ table: SOURCE_FIXTURE_TABLE, ...extra });

async function extractText(source: SourceConnector, ref: SourceRef): Promise<string> {
  const { columns } = await source.describe(ref, ctx());
  return readAll(await source.extractCsv(ref, columns, ctx()));
}

/** Runs the SourceConnector contract against the harness `start` builds (once for the file). */
export function describeSourceContract(name: string, start: () => Promise<SourceContractHarness>): void {
  describe(`${name}: SourceConnector contract`, () => {
    const fx = {} as SourceContractContext;
    beforeAll(async () => {
      fx.harness = await start();
    });
    afterAll(async () => {
      await fx.harness?.source.close();
      await fx.harness?.cleanup();
    });
    const source = () => fx.harness.source;

    describe('connections', () => {
      it('check() passes on a reachable database', async () => {
        await expect(source().check(ctx())).resolves.toBeUndefined();
      });

      it.each([
        ['a database that does not exist', 'database', TerminalError, 'CONFIG_ERROR'],
        ['a port nobody listens on', 'port', TransientError, 'CONNECTION_FAILED'],
      ] as const)('%s fails check() naming it, without the password', async (_, problem, kind, code) => {
        const { source: broken, names, password } = await fx.harness.misconfigured(problem);
        try {
          const error = await rejectionOf(broken.check(ctx()));
          expect(error).toBeInstanceOf(kind);
          expect(error).toMatchObject({ code, message: expect.stringContaining(names) as unknown });
          expectNoSecret(error, [password]);
        } finally {
          await broken.close();
        }
      });
    });

    describe('describe', () => {
      it('returns every column of a table in order with its logical type', async () => {
        const { columns } = await source().describe(table(), ctx());
        expect(columns.map(columnShape)).toEqual(SOURCE_FIXTURE_COLUMNS.map(columnShape));
        for (const c of columns) expect(c.sourceType).not.toBe('');
      });

      it('returns a column subset in the requested order, matching a name case-insensitively when unambiguous', async () => {
        const { columns } = await source().describe(table({ columns: ['amount', 'ID'] }), ctx());
        expect(columns.map((c) => [c.name, c.type])).toEqual([
          ['amount', 'decimal'],
          ['id', 'int32'],
        ]);
      });

      it('describes a query source from its result, every column nullable', async () => {
        const ref = sourceRef({ query: `SELECT id, txt AS label FROM ${SOURCE_FIXTURE_TABLE} WHERE id < 3` });
        const { columns } = await source().describe(ref, ctx());
        expect(columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
          ['id', 'int32', true],
          ['label', 'text', true],
        ]);
      });

      it('refuses a query source with two columns of one name as BAD_SQL', async () => {
        const ref = sourceRef({ query: 'SELECT 1 AS a, 2 AS a' });
        expect(await rejectionOf(source().describe(ref, ctx()))).toMatchObject({
          name: 'TerminalError',
          code: 'BAD_SQL',
        });
      });

      it('names a missing table or column in a terminal SOURCE_NOT_FOUND', async () => {
        const missing = [
          [table({ table: 'contract_missing' }), 'contract_missing'],
          [table({ columns: ['id', 'ghost'] }), 'ghost'],
        ] as const;
        for (const [ref, what] of missing) {
          const error = await rejectionOf(source().describe(ref, ctx()));
          expect(error).toBeInstanceOf(TerminalError);
          expect(error).toMatchObject({
            code: 'SOURCE_NOT_FOUND',
            message: expect.stringContaining(what) as unknown,
          });
        }
        const ref = sourceRef({ table: 'contract_missing' });
        for (const attempt of [() => source().count(ref, ctx()), () => source().extractCsv(ref, [], ctx())]) {
          expect(await rejectionOf(attempt())).toMatchObject({
            name: 'TerminalError',
            code: 'SOURCE_NOT_FOUND',
            message: expect.stringContaining('contract_missing') as unknown,
          });
        }
      });
    });

    describe('extractCsv', () => {
      it('streams the interchange CSV of the table, as many rows as count() says', async () => {
        const [header, ...rows] = parseCsv(await extractText(source(), table()));
        expect(header?.join()).toBe(SOURCE_FIXTURE_CSV[0]?.replace('"odd,col"', 'odd,col'));
        // Compared as parsed fields: NULL (the bare empty field) and "" stay apart, quotes and newlines survive.
        const byId = (a: (string | null)[], b: (string | null)[]) => Number(a[0]) - Number(b[0]);
        expect(rows.sort(byId)).toEqual(parseCsv(`${SOURCE_FIXTURE_CSV.slice(1).join('\n')}\n`));
        expect(await source().count(table(), ctx())).toBe(rows.length);
        expect(rows.length).toBe(SOURCE_FIXTURE_ROWS.length);
      });

      it('extracts the selected columns, in order, of the rows `where` keeps; count() agrees', async () => {
        const ref = table({ columns: ['odd,col', 'id'], where: 'id IN (2, 3, 4)' });
        const records = csvRecords(await extractText(source(), ref));
        expect(records[0]).toBe('"odd,col",id');
        expect(records.slice(1).sort()).toEqual(['"",3', ',2', 'NULL,4']);
        expect(await source().count(ref, ctx())).toBe(3);
      });

      it('extracts a query source in its own order under its own column names', async () => {
        const ref = sourceRef({
          query: `SELECT id, txt AS t FROM ${SOURCE_FIXTURE_TABLE} WHERE id >= 5 ORDER BY id DESC`,
        });
        expect(await readAll(await source().extractCsv(ref, [], ctx()))).toBe(
          'id,t\n6,NULL\n5,ünïcödé ✓ 😀\n',
        );
        expect(await source().count(ref, ctx())).toBe(2);
      });

      it('reports a where that is not valid SQL as a terminal BAD_SQL', async () => {
        const ref = table({ where: 'id >' });
        expect(await rejectionOf(source().count(ref, ctx()))).toMatchObject({
          name: 'TerminalError',
          code: 'BAD_SQL',
        });
        const extracted = source()
          .extractCsv(ref, [], ctx())
          .then((stream) => readAll(stream));
        expect(await rejectionOf(extracted)).toMatchObject({ name: 'TerminalError', code: 'BAD_SQL' });
        expect(await eventually(async () => (await fx.harness.running()) === 0)).toBe(true);
      });

      it('reads in a read-only session: a query that writes fails and writes nothing', async () => {
        const { query } = fx.harness.writingQuery;
        const extracted = source()
          .extractCsv(sourceRef({ query }), [], ctx())
          .then((stream) => readAll(stream));
        expect(await rejectionOf(extracted)).toBeInstanceOf(TerminalError);
        expect(await fx.harness.writingQuery.written()).toBe(0);
      });
    });

    sourceLifecycleTests(fx);
  });
}

export {
  SOURCE_FIXTURE_CSV,
  SOURCE_FIXTURE_ROWS,
  SOURCE_FIXTURE_TABLE,
  type SourceContractHarness,
} from './source-fixture.js';
