import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSnowflakeDestination,
  type DestinationConnector,
  type LoadRequest,
} from '@dxa/connectors/src/factories.js';
import { ctx, logger } from '@dxa/connectors/src/destinations/snowflake/test-support.js';
import { pgTableChecksum, type ChecksumColumn, type TableChecksum } from '@dxa/testing';
import type { SnowflakeFake } from '../fakes/snowflake/index.js';
import { makeFixture, SOURCE_ROWS, type PartsFixture } from './fixture.js';
import { fakeTableChecksum, startFake, tablesInFake, targetConfig } from './support.js';

let fake: SnowflakeFake;
let fx: PartsFixture;
let dest: DestinationConnector;
let source: TableChecksum & { columns: ChecksumColumn[] };

beforeAll(async () => {
  [fake, fx] = await Promise.all([startFake(), makeFixture()]);
  dest = createSnowflakeDestination(targetConfig(fake), logger);
  source = await pgTableChecksum(
    { host: fx.pg.host, port: fx.pg.port, user: fx.pg.username, database: fx.pg.database },
    'src',
  );
});

afterAll(async () => {
  await dest?.close();
  await fake?.close();
  await fx?.cleanup();
});

function request(
  table: string,
  mode: LoadRequest['mode'],
  format: 'csv' | 'parquet',
  jobId: string,
): LoadRequest {
  return { table, mode, columns: fx.columns, format, files: fx.parts[format], jobId };
}

// Modes, all-or-nothing, names and aborts every destination shares: contract.test.ts.
describe.each(['parquet', 'csv'] as const)('Snowflake target, %s parts PUT from a local stage', (format) => {
  const table = `orders_${format}`;
  const TABLE = `"${table.toUpperCase()}"`;

  it('create: loads every row and value, tagged with the job id', async () => {
    expect(fx.parts[format].length).toBeGreaterThan(1);
    const result = await dest.load(request(table, 'create', format, `job-create-${format}`), fx.stage, ctx);
    expect(result.rows).toBe(SOURCE_ROWS);
    expect(await dest.count(table, ctx)).toBe(SOURCE_ROWS);
    expect(await fakeTableChecksum(fake, TABLE, source.columns)).toEqual({
      rows: source.rows,
      sum: source.sum,
    });
    const copies = fake.queries.filter((q) => q.sqlText.startsWith(`COPY INTO ${TABLE}`));
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.every((q) => q.queryTag === `dxa:job-create-${format}`)).toBe(true);
    // The uploaded copies in the user stage are removed after the load.
    expect(fake.queries.some((q) => q.sqlText === `REMOVE @~/dxa/job_create_${format}/`)).toBe(true);
  });

  it('replace: swaps a scratch table in and drops it', async () => {
    const jobId = `job-replace-${format}`;
    const result = await dest.load(request(table, 'replace', format, jobId), fx.stage, ctx);
    expect(result.rows).toBe(SOURCE_ROWS);
    expect(await dest.count(table, ctx)).toBe(SOURCE_ROWS);
    expect(await fakeTableChecksum(fake, TABLE, source.columns)).toEqual({
      rows: source.rows,
      sum: source.sum,
    });
    expect(fake.queries.some((q) => q.sqlText.startsWith(`ALTER TABLE ${TABLE} SWAP WITH`))).toBe(true);
    expect((await tablesInFake(fake)).filter((t) => t.includes('__dxa_'))).toEqual([]);
  });

  it('replace into a missing table renames the scratch table into place', async () => {
    const result = await dest.load(
      request(`fresh_${format}`, 'replace', format, `job-fresh-${format}`),
      fx.stage,
      ctx,
    );
    expect(result.rows).toBe(SOURCE_ROWS);
    expect(await dest.tableExists(`fresh_${format}`, ctx)).toBe(true);
    expect(fake.queries.some((q) => /^ALTER TABLE .* RENAME TO "FRESH_/.test(q.sqlText))).toBe(true);
  });
});

describe('Snowflake target checks', () => {
  it('check() logs in and reads the version; tableExists and count see the schema', async () => {
    await dest.check(ctx);
    expect(fake.queries.some((q) => q.sqlText === 'SELECT CURRENT_VERSION()')).toBe(true);
    expect(await dest.tableExists('no_such_table', ctx)).toBe(false);
    expect(await dest.tableExists('public.orders_parquet', ctx)).toBe(true);
  });
});
