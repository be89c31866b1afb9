import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartitionPlan, SourceRef } from '@dxa/contracts';
import { CancelledError, TerminalError } from '@dxa/errors';
import { createLogger } from '@dxa/logger';
import type { SourceConnector } from '../../core/types.js';
import { createPostgresSource } from './source.js';
import { createTestDatabase, parseCsv, readAll, type TestDatabase } from './test-support.js';

const ctx = () => ({ signal: new AbortController().signal });
const ref = (extra: Partial<SourceRef>): SourceRef => ({ connection: 'pg', ...extra });
const AUTO = { requested: 'auto' as const, targetBytes: 128 * 1024 * 1024 };

let db: TestDatabase;
let source: SourceConnector;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql.query(`
    CREATE TABLE nums (id int8 PRIMARY KEY, v text);
    INSERT INTO nums SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 20000) g;
    CREATE TABLE words (code varchar(40) PRIMARY KEY, n int);
    INSERT INTO words SELECT 'w' || md5(g::text), g FROM generate_series(1, 3000) g;
    INSERT INTO words VALUES (E'back\\\\slash '' quote', -1), ('ünï', -2), ('', -3);
    -- Stored in key order, as key ranges need (a shuffled copy is split by pages instead).
    CLUSTER words USING words_pkey;
    CREATE TABLE shuffled AS SELECT * FROM words ORDER BY md5(code || 'x');
    ALTER TABLE shuffled ADD PRIMARY KEY (code);
    CREATE TABLE heap (a int, b text);
    INSERT INTO heap SELECT g % 7, repeat('x', 200) FROM generate_series(1, 5000) g;
    CREATE TABLE sparse (k int, note text);
    CREATE INDEX ON sparse (k);
    INSERT INTO sparse SELECT k, 'n' || g
      FROM generate_series(1, 4000) g, LATERAL (SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE g % 500 END AS k) x
     ORDER BY k NULLS FIRST;
    CREATE TABLE unindexed (k int PRIMARY KEY, u int);
    INSERT INTO unindexed SELECT g, g FROM generate_series(1, 3000) g;
    CREATE TABLE empty (k int PRIMARY KEY);
    CREATE TABLE big (id int4 PRIMARY KEY);
    INSERT INTO big SELECT g FROM generate_series(1, 240000) g;
    CREATE VIEW nums_view AS SELECT * FROM nums;
    CREATE TABLE parted (id int PRIMARY KEY, v text) PARTITION BY RANGE (id);
    CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (MINVALUE) TO (3000);
    CREATE TABLE parted_high PARTITION OF parted FOR VALUES FROM (3000) TO (MAXVALUE);
    INSERT INTO parted SELECT g, md5(g::text) FROM generate_series(1, 6000) g;
    ANALYZE;
  `);
  source = createPostgresSource(db.conn, createLogger('postgres-partitions-test'));
});

afterAll(async () => {
  await source?.close();
  await db?.drop();
});

/** Data rows of one CSV extract, each as a JSON string (header dropped). */
async function extractRows(r: SourceRef, bounds?: PartitionPlan['bounds'][number]): Promise<string[]> {
  const { columns } = await source.describe(r, ctx());
  const csv = await readAll(await source.extractCsv(r, columns, ctx(), bounds ? { bounds } : undefined));
  return parseCsv(csv)
    .slice(1)
    .map((row) => JSON.stringify(row));
}

/** Extracting every slice of the plan yields exactly the rows of the whole extract; returns slice sizes. */
async function expectSlicesCoverAll(r: SourceRef, plan: PartitionPlan): Promise<number[]> {
  const whole = await extractRows(r);
  const slices = await Promise.all(plan.bounds.map((b) => extractRows(r, b)));
  expect(slices.flat().sort()).toEqual([...whole].sort());
  return slices.map((s) => s.length);
}

describe('planPartitions', () => {
  it('splits a table into page ranges by default, even with a primary key', async () => {
    const r = ref({ table: 'nums' });
    const plan = await source.planPartitions!(r, { requested: 4, targetBytes: AUTO.targetBytes }, ctx());
    expect(plan.method).toBe('pages');
    expect(plan.key).toBeUndefined();
    expect(plan.reason).toContain('4 page ranges');
    expect(plan.reason).toContain('name source.key to split on a key');
    const sizes = await expectSlicesCoverAll(r, plan);
    expect(sizes.every((n) => n > 0)).toBe(true);
    await expectSlicesCoverAll(ref({ table: 'nums', where: 'id % 3 = 0' }), plan);
  });

  it('splits on a named integer key, auto-sized from the heap', async () => {
    const r = ref({ table: 'nums', key: ['id'] });
    const plan = await source.planPartitions!(r, { requested: 'auto', targetBytes: 256 * 1024 }, ctx());
    expect(plan.method).toBe('key');
    expect(plan.key).toBe('id');
    expect(plan.estimatedRows).toBe(20000);
    const wanted = Math.ceil(plan.estimatedBytes! / (256 * 1024));
    expect(wanted).toBeGreaterThan(3);
    expect(plan.bounds).toHaveLength(wanted);
    expect(plan.reason).toContain(`${wanted} key ranges on id`);
    expect(plan.bounds[0]).toMatchObject({ kind: 'key', column: 'id', from: null, nulls: true });
    expect(plan.bounds.at(-1)).toMatchObject({ to: null, nulls: false });
    const sizes = await expectSlicesCoverAll(r, plan);
    expect(sizes.every((n) => n > 0)).toBe(true);
  });

  it('honours an explicit count and a where filter', async () => {
    const r = ref({ table: 'nums', key: ['id'], where: 'id % 3 = 0 AND id > 100' });
    const plan = await source.planPartitions!(r, { requested: 5, targetBytes: AUTO.targetBytes }, ctx());
    expect(plan.method).toBe('key');
    expect(plan.bounds).toHaveLength(5);
    const sizes = await expectSlicesCoverAll(r, plan);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(6633);
    expect(Math.min(...sizes)).toBeGreaterThan(1000);
  });

  it('splits on a text key, quoting awkward boundary values', async () => {
    const r = ref({ table: 'words', key: ['code'], columns: ['n', 'code'] });
    const plan = await source.planPartitions!(r, { requested: 7, targetBytes: AUTO.targetBytes }, ctx());
    expect(plan).toMatchObject({ method: 'key', key: 'code' });
    expect(plan.bounds).toHaveLength(7);
    await expectSlicesCoverAll(r, plan);
    // A bound that needs escaping (quote, backslash) is compared as the value itself.
    const value = "back\\slash ' quote";
    const bounds = { kind: 'key' as const, column: 'code', from: value, to: null, nulls: false };
    const rows = await extractRows(r, bounds);
    expect(rows).toContain(JSON.stringify(['-1', value]));
    const filtered = await extractRows({ ...r, where: "code >= 'back\\slash '' quote'" });
    expect([...rows].sort()).toEqual(filtered.sort());
  });

  it('places the boundaries of a large table from a sample', async () => {
    const r = ref({ table: 'big', key: ['id'] });
    const plan = await source.planPartitions!(r, { requested: 8, targetBytes: AUTO.targetBytes }, ctx());
    expect(plan).toMatchObject({ method: 'key', key: 'id', estimatedRows: 240000 });
    expect(plan.bounds).toHaveLength(8);
    const sizes = await expectSlicesCoverAll(r, plan);
    // The sample (about a third of the pages) is random: only check that no slice is empty or huge.
    for (const n of sizes) expect(n > 0 && n < 90000).toBe(true);
  });

  it('splits a table without a key into page ranges', async () => {
    const r = ref({ table: 'heap' });
    const plan = await source.planPartitions!(r, { requested: 4, targetBytes: AUTO.targetBytes }, ctx());
    expect(plan.method).toBe('pages');
    expect(plan.reason).toContain('page ranges read the heap in order');
    expect(plan.bounds).toHaveLength(4);
    expect(plan.bounds[0]).toMatchObject({ kind: 'pages', from: 0 });
    expect(plan.bounds.at(-1)).toMatchObject({ kind: 'pages', to: null });
    const sizes = await expectSlicesCoverAll(r, plan);
    expect(sizes.filter((n) => n > 0).length).toBe(4);
    await expectSlicesCoverAll(ref({ table: 'heap', where: 'a = 3' }), plan);
  });

  it('splits a partitioned table (no page ranges across partitions) on its primary key', async () => {
    const r = ref({ table: 'parted' });
    const plan = await source.planPartitions!(r, { requested: 3, targetBytes: AUTO.targetBytes }, ctx());
    expect(plan).toMatchObject({ method: 'key', key: 'id' });
    expect(plan.bounds).toHaveLength(3);
    const sizes = await expectSlicesCoverAll(r, plan);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(6000);
  });

  it('keeps rows with a NULL key, given a nullable indexed key', async () => {
    const r = ref({ table: 'sparse', key: ['k'] });
    const plan = await source.planPartitions!(r, { requested: 4, targetBytes: AUTO.targetBytes }, ctx());
    expect(plan).toMatchObject({ method: 'key', key: 'k' });
    expect(plan.bounds.length).toBeGreaterThan(1);
    const sizes = await expectSlicesCoverAll(r, plan);
    expect(sizes[0]).toBeGreaterThanOrEqual(400);
  });

  it('splits by pages when the rows are not stored in key order', async () => {
    const r = ref({ table: 'shuffled', key: ['code'] });
    const plan = await source.planPartitions!(r, { requested: 3, targetBytes: AUTO.targetBytes }, ctx());
    expect(plan.method).toBe('pages');
    expect(plan.reason).toMatch(/not stored in code order \(correlation -?0\.\d\d\)/);
    await expectSlicesCoverAll(r, plan);
  });

  it('falls back to pages when the given key leads no index', async () => {
    const plan = await source.planPartitions!(
      ref({ table: 'unindexed', key: ['u'] }),
      { requested: 3, targetBytes: AUTO.targetBytes },
      ctx(),
    );
    expect(plan.method).toBe('pages');
    expect(plan.reason).toContain('u does not lead a btree index');
  });

  it('reads in one piece when there is nothing to split', async () => {
    const small = await source.planPartitions!(ref({ table: 'nums' }), AUTO, ctx());
    expect(small.method).toBe('single');
    expect(small.bounds).toEqual([{ kind: 'all' }]);
    expect(small.reason).toContain('fits in one partition');

    const view = await source.planPartitions!(ref({ table: 'nums_view' }), { ...AUTO, requested: 4 }, ctx());
    expect(view).toMatchObject({ method: 'single', bounds: [{ kind: 'all' }] });
    expect(view.reason).toContain('a view');
    await expectSlicesCoverAll(ref({ table: 'nums_view' }), view);

    const query = await source.planPartitions!(
      ref({ query: 'SELECT * FROM nums' }),
      { ...AUTO, requested: 4 },
      ctx(),
    );
    expect(query).toMatchObject({ method: 'single', bounds: [{ kind: 'all' }] });
    expect(query.reason).toContain('query');

    const one = await source.planPartitions!(ref({ table: 'empty' }), { ...AUTO, requested: 4 }, ctx());
    expect(one.method).toBe('single');
    expect(one.reason).toContain('too few distinct values');
  });

  it('rejects slices it cannot apply', async () => {
    const bounds = { kind: 'key' as const, column: 'nope', from: '1', to: null, nulls: false };
    await expect(extractRows(ref({ table: 'nums' }), bounds)).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
    });
    await expect(
      extractRows(ref({ query: 'SELECT 1 AS x' }), { kind: 'pages', from: 0, to: 1 }),
    ).rejects.toBeInstanceOf(TerminalError);
    const badType = { kind: 'key' as const, column: 'id', from: 'not a number', to: null, nulls: false };
    await expect(extractRows(ref({ table: 'nums' }), badType)).rejects.toBeInstanceOf(TerminalError);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      source.planPartitions!(
        ref({ table: 'nums' }),
        { ...AUTO, requested: 4 },
        { signal: controller.signal },
      ),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});
