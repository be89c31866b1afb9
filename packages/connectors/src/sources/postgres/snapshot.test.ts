import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartitionBounds, SourceRef } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { createLogger } from '@dxa/logger';
import type { SourceConnector } from '../../core/types.js';
import { createPostgresSource } from './source.js';
import { createTestDatabase, eventually, parseCsv, readAll, type TestDatabase } from './test-support.js';

const logger = createLogger('postgres-snapshot-test');
const ctx = () => ({ signal: new AbortController().signal });
const table: SourceRef = { connection: 'pg', table: 'accounts' };

let db: TestDatabase;
let source: SourceConnector;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql.query(`
    CREATE TABLE accounts (id int PRIMARY KEY, balance numeric(12,2));
    INSERT INTO accounts SELECT g, g * 10 FROM generate_series(1, 3000) g;
    CREATE TABLE ledger (id int PRIMARY KEY, balance numeric(12,2));
    INSERT INTO ledger SELECT g, g * 10 FROM generate_series(1, 3000) g;
    CREATE TABLE loose (note text);
    INSERT INTO loose SELECT repeat('y', 300) || g FROM generate_series(1, 2000) g;
    ANALYZE;
  `);
  source = createPostgresSource(db.conn, logger);
});

afterAll(async () => {
  await source?.close();
  await db?.drop();
});

async function rowsOf(r: SourceRef, bounds?: PartitionBounds, snapshot?: string): Promise<string[]> {
  const { columns } = await source.describe(r, ctx());
  const slice = bounds ? { bounds, ...(snapshot === undefined ? {} : { snapshot }) } : undefined;
  const csv = await readAll(await source.extractCsv(r, columns, ctx(), slice));
  return parseCsv(csv)
    .slice(1)
    .map((row) => JSON.stringify(row))
    .sort();
}

async function slicedRows(r: SourceRef, bounds: PartitionBounds[], snapshot: string): Promise<string[]> {
  return (await Promise.all(bounds.map((b) => rowsOf(r, b, snapshot)))).flat().sort();
}

describe('exportSnapshot', () => {
  it('lets every slice read the table as it was when exported', async () => {
    // Key ranges, page ranges over rows that updates move to other pages, page ranges of a heap.
    const sources: SourceRef[] = [
      { ...table, key: ['id'] },
      { connection: 'pg', table: 'ledger' },
      { connection: 'pg', table: 'loose' },
    ];
    for (const r of sources) {
      const plan = await source.planPartitions!(r, { requested: 4, targetBytes: 1 << 20 }, ctx());
      expect(plan.method).toBe(r.key ? 'key' : 'pages');
      const before = await rowsOf(r);
      const held = await source.exportSnapshot!(ctx());
      expect(held.id).toMatch(/^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i);
      expect(held.alive()).toBe(true);
      // Another session changes the table after the export.
      if (r.table !== 'loose') {
        await db.sql.query(`
          INSERT INTO ${r.table} SELECT g, 0 FROM generate_series(3001, 3500) g;
          UPDATE ${r.table} SET balance = -1 WHERE id % 7 = 0;
          DELETE FROM ${r.table} WHERE id BETWEEN 100 AND 900;`);
      } else {
        await db.sql.query(`INSERT INTO loose SELECT 'new' || g FROM generate_series(1, 5000) g;
          DELETE FROM loose WHERE note LIKE '%5';`);
      }
      const now = await rowsOf(r);
      expect(now).not.toEqual(before);
      expect(await slicedRows(r, plan.bounds, held.id)).toEqual(before);
      await held.release();
      expect(held.alive()).toBe(false);
      await held.release(); // idempotent
      const lost = await slicedRows(r, plan.bounds, held.id).catch((thrown: unknown) => thrown);
      expect(lost).toBeInstanceOf(TerminalError);
      expect(lost).toMatchObject({ code: 'SNAPSHOT_LOST' });
      expect((lost as Error).message).toContain('session coordinating the partitions ended');
      // Without the snapshot the slices read the current rows.
      expect((await Promise.all(plan.bounds.map((b) => rowsOf(r, b)))).flat().sort()).toEqual(now);
    }
  });

  it('reports a snapshot whose session died as not alive', async () => {
    const held = await source.exportSnapshot!(ctx());
    const { rows } = await db.sql.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%pg_export_snapshot%'`,
      [db.name],
    );
    expect(rows).toHaveLength(1);
    await db.sql.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    expect(await eventually(() => Promise.resolve(!held.alive()))).toBe(true);
    await expect(rowsOf(table, { kind: 'all' }, held.id)).rejects.toMatchObject({ code: 'SNAPSHOT_LOST' });
    await held.release();
  });

  it('refuses a snapshot id that is not one', async () => {
    await expect(rowsOf(table, { kind: 'all' }, "1-1-1'; DROP TABLE accounts; --")).rejects.toMatchObject({
      code: 'INVALID_JOB',
    });
    expect((await rowsOf(table)).length).toBeGreaterThan(0);
  });

  it('releases held snapshots when the source closes', async () => {
    const other = createPostgresSource(db.conn, logger);
    const held = await other.exportSnapshot!(ctx());
    expect(held.alive()).toBe(true);
    await other.close();
    expect(held.alive()).toBe(false);
    await expect(rowsOf(table, { kind: 'all' }, held.id)).rejects.toMatchObject({ code: 'SNAPSHOT_LOST' });
  });
});
