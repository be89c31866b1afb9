// Contract suite for ValidationEndpoint (test support, never imported by product code). Every
// connector that offers an endpoint calls describeValidationEndpointContract against its engine.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalError } from '@dxa/errors';
import { eventually } from '@dxa/testing';
import type { Relation, ValidationEndpoint } from '@dxa/validation';
import type { RunContext } from '../core/types.js';
import { columnShape, ctx, expectNoSecret, rejectionOf, type ColumnShape } from './support.js';

export type ValidationEndpointContractHarness = {
  /** The engine its Dialect names (`endpoint.dialect.name`). */
  dialect: string;
  /** `vt` as resolve names it: fully qualified, every part quoted exactly (`"public"."vt"`). */
  qualifiedTable: string;
  /**
   * A new endpoint on a database holding the tables of VALIDATION_FIXTURE (`vt`: b int64 NOT NULL,
   * id int32 NOT NULL, amount decimal(12,2), note text, raw binary, primary key (id, b), rows
   * (1, 10, 1.50, 'a', 0x00ff) and (2, 20, NULL, '', NULL); `vt_nokey` (x int32) without a key).
   */
  endpoint(): ValidationEndpoint;
  /** The connector the endpoints come from: closing an endpoint leaves it usable. */
  owner: { check(ctx: RunContext): Promise<void> };
  /** Whether it describes query relations (a target validates tables only, and refuses them). */
  queries: boolean;
  /** Whether its session refuses statements that write (a target that does not accepts no queries). */
  readOnly: boolean;
  /** Whether it finds primary keys (primaryKey() is implemented). */
  primaryKeys: boolean;
  /** A statement that runs for minutes, and (where the server shows it) whether it still runs. */
  slow?: { sql: string; running?: () => Promise<boolean> };
  /** Credentials of the connection: never in the label or an error. */
  secrets: string[];
  cleanup(): Promise<void>;
};

const EXPECTED_COLUMNS: ColumnShape[] = [
  { name: 'b', type: 'int64', nullable: false },
  { name: 'id', type: 'int32', nullable: false },
  { name: 'amount', type: 'decimal', nullable: true, precision: 12, scale: 2 },
  { name: 'note', type: 'text', nullable: true },
  { name: 'raw', type: 'binary', nullable: true },
];

const signal = () => new AbortController().signal;

/** Two or three parts (schema or database first), each double-quoted with `"` doubled inside. */
const QUALIFIED = /^"(?:[^"]|"")+"(?:\."(?:[^"]|"")+"){1,2}$/;

/** Runs the ValidationEndpoint contract against the harness `start` builds (once for the file). */
export function describeValidationEndpointContract(
  name: string,
  start: () => Promise<ValidationEndpointContractHarness>,
): void {
  describe(`${name}: ValidationEndpoint contract`, () => {
    const fx = {} as { harness: ValidationEndpointContractHarness; endpoint: ValidationEndpoint };
    beforeAll(async () => {
      fx.harness = await start();
      fx.endpoint = fx.harness.endpoint();
    });
    afterAll(async () => {
      await fx.endpoint?.close();
      await fx.harness?.cleanup();
    });
    const endpoint = () => fx.endpoint;

    it('names its dialect and a label without credentials', () => {
      expect(endpoint().dialect.name).toBe(fx.harness.dialect);
      expect(endpoint().label).not.toBe('');
      expectNoSecret(new Error(endpoint().label), fx.harness.secrets);
    });

    /** Rows of the relation as the endpoint's dialect renders it. */
    const countOf = async (relation: Relation) => {
      const rows = await endpoint().query(
        `SELECT COUNT(*) AS "n" FROM ${endpoint().dialect.from(relation)}`,
        signal(),
      );
      return rows.map((row) => Number(String(row.n)));
    };

    it('resolves a table to its full name, each part quoted exactly, which its dialect reads', async () => {
      const resolved = await endpoint().resolve({ table: 'vt' }, signal());
      expect(resolved).toEqual({ table: fx.harness.qualifiedTable });
      expect(fx.harness.qualifiedTable).toMatch(QUALIFIED);
      // Exact already: resolving it again names the same table.
      expect(await endpoint().resolve(resolved, signal())).toEqual(resolved);
      expect(await countOf(resolved)).toEqual([2]);
    });

    it('resolves a selection: columns spelled as the catalog spells them, in its order, the filter as it is', async () => {
      const where = `${endpoint().dialect.ident('id')} > 10`;
      const resolved = await endpoint().resolve({ table: 'vt', columns: ['NOTE', 'Id'], where }, signal());
      expect(resolved).toEqual({ table: fx.harness.qualifiedTable, columns: ['note', 'id'], where });
      expect((await endpoint().describe(resolved, signal())).map((c) => c.name)).toEqual(['note', 'id']);
      expect(await countOf(resolved)).toEqual([1]);
    });

    it('resolves a query to itself', async () => {
      const query = 'SELECT id, note AS n FROM vt';
      expect(await endpoint().resolve({ query }, signal())).toEqual({ query });
    });

    it('fails a terminal SOURCE_NOT_FOUND naming an unknown table or column', async () => {
      const table = await rejectionOf(endpoint().resolve({ table: 'vt_missing' }, signal()));
      expect(table).toMatchObject({ name: 'TerminalError', code: 'SOURCE_NOT_FOUND' });
      expect(table.message.toLowerCase()).toContain('vt_missing');
      const column = await rejectionOf(
        endpoint().resolve({ table: 'vt', columns: ['id', 'nope'] }, signal()),
      );
      expect(column).toMatchObject({ name: 'TerminalError', code: 'SOURCE_NOT_FOUND' });
      expect(column.message).toContain('nope');
      expectNoSecret(table, fx.harness.secrets);
      expectNoSecret(column, fx.harness.secrets);
    });

    it('describes a table: columns in order with logical types, nullability, precision and scale', async () => {
      const columns = await endpoint().describe({ table: 'vt' }, signal());
      expect(columns.map(columnShape)).toEqual(EXPECTED_COLUMNS.map(columnShape));
      for (const c of columns) expect(c.engineType).not.toBe('');
    });

    it('names a missing table in a terminal error', async () => {
      const error = await rejectionOf(endpoint().describe({ table: 'vt_missing' }, signal()));
      expect(error).toBeInstanceOf(TerminalError);
      expect(error.message.toLowerCase()).toContain('vt_missing');
      expectNoSecret(error, fx.harness.secrets);
    });

    it('describes a query relation, or refuses it with a terminal error', async () => {
      const described = endpoint().describe({ query: 'SELECT id, note AS n FROM vt' }, signal());
      if (!fx.harness.queries) {
        expect(await rejectionOf(described)).toBeInstanceOf(TerminalError);
        return;
      }
      expect((await described).map((c) => [c.name, c.type])).toEqual([
        ['id', 'int32'],
        ['n', 'text'],
      ]);
    });

    it('runs a statement and hands back its rows, empty text apart from NULL', async () => {
      const counted = await endpoint().query('SELECT COUNT(*) AS "n" FROM vt', signal());
      expect(counted.map((row) => Number(String(row.n)))).toEqual([2]);
      const notes = await endpoint().query(
        'SELECT note AS "note", amount AS "amount" FROM vt ORDER BY id',
        signal(),
      );
      expect(notes.map((row) => [row.note, row.amount === null])).toEqual([
        ['a', false],
        ['', true],
      ]);
    });

    it('reports a statement that is not valid SQL as a terminal BAD_SQL', async () => {
      const error = await rejectionOf(endpoint().query('SELECT FROM WHERE', signal()));
      expect(error).toMatchObject({ name: 'TerminalError', code: 'BAD_SQL' });
      expectNoSecret(error, fx.harness.secrets);
    });

    it('refuses a statement that writes; an endpoint that cannot refuse accepts no query relations', async () => {
      if (!fx.harness.readOnly) {
        expect(fx.harness.queries).toBe(false);
        return;
      }
      expect(await rejectionOf(endpoint().query('DELETE FROM vt', signal()))).toBeInstanceOf(TerminalError);
      const left = await endpoint().query('SELECT COUNT(*) AS "n" FROM vt', signal());
      expect(left.map((row) => Number(String(row.n)))).toEqual([2]);
    });

    it('finds a primary key in key order, and none for a table without one or a query', async () => {
      const primaryKey = endpoint().primaryKey?.bind(endpoint());
      if (!fx.harness.primaryKeys) {
        expect(primaryKey).toBeUndefined();
        return;
      }
      expect(await primaryKey?.({ table: 'vt' }, signal())).toEqual(['id', 'b']);
      expect(await primaryKey?.({ table: 'vt_nokey' }, signal())).toBeUndefined();
      expect(await primaryKey?.({ query: 'SELECT 1' }, signal())).toBeUndefined();
    });

    it('finds the primary key of a selection only when it keeps every key column', async () => {
      const primaryKey = endpoint().primaryKey?.bind(endpoint());
      if (!fx.harness.primaryKeys) {
        expect(primaryKey).toBeUndefined();
        return;
      }
      const all = await endpoint().resolve({ table: 'vt', columns: ['NOTE', 'B', 'ID'] }, signal());
      expect(await primaryKey?.(all, signal())).toEqual(['id', 'b']);
      const part = await endpoint().resolve({ table: 'vt', columns: ['id', 'note'] }, signal());
      expect(await primaryKey?.(part, signal())).toBeUndefined();
    });

    it('refuses to start a statement once aborted', async () => {
      const error = await rejectionOf(endpoint().query('SELECT 1', AbortSignal.abort()));
      expect(error).toMatchObject({ code: 'CANCELLED' });
    });

    it('aborting a running statement cancels it and leaves the endpoint usable', async () => {
      const slow = fx.harness.slow;
      if (slow === undefined) {
        // Without a statement that runs long there is nothing to cancel mid-way: the endpoint still answers.
        expect(await endpoint().query('SELECT COUNT(*) AS "n" FROM vt', signal())).toHaveLength(1);
        return;
      }
      const controller = new AbortController();
      const running = endpoint().query(slow.sql, controller.signal);
      if (slow.running) expect(await eventually(slow.running)).toBe(true);
      else await sleep(200);
      controller.abort();
      expect(await rejectionOf(running)).toMatchObject({ code: 'CANCELLED' });
      if (slow.running) expect(await eventually(async () => !(await slow.running?.()))).toBe(true);
      expect(await endpoint().query('SELECT COUNT(*) AS "n" FROM vt', signal())).toHaveLength(1);
    });

    it('closing an endpoint leaves its connector usable', async () => {
      const other = fx.harness.endpoint();
      await other.query('SELECT COUNT(*) AS "n" FROM vt', signal());
      await other.close();
      await expect(fx.harness.owner.check(ctx())).resolves.toBeUndefined();
    });
  });
}
