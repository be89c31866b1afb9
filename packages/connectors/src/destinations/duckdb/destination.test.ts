import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationConnector, StageConnector } from '../../core/types.js';
import { createDuckdbDestination } from './destination.js';
import {
  EXPECTED_ROWS,
  ctx,
  logger,
  makeFixture,
  query,
  request,
  roundTripSql,
  scratchTables,
  stageParts,
  withDb,
  type Fixture,
} from './test-support.js';

let fx: Fixture;
let dest: DestinationConnector;

beforeEach(async () => {
  fx = await makeFixture();
  dest = createDuckdbDestination({ type: 'duckdb', path: fx.dbFile, memory_limit: '256MB' }, logger);
});

afterEach(async () => {
  await dest.close();
  await fx.cleanup();
});

// Modes, all-or-nothing, names and aborts every destination shares: contract.test.ts.
describe.each(['parquet', 'csv'] as const)('DuckDB load from %s parts', (format) => {
  it('creates the table with NOT NULL where declared and round-trips the values', async () => {
    const files = await stageParts(fx, format);
    expect(await dest.load(request('sales.orders', 'create', format, files), fx.stage, ctx)).toEqual({
      rows: 3,
    });
    expect(await query(fx.dbFile, roundTripSql('sales.orders'))).toEqual(EXPECTED_ROWS);
    const nullable = await query(
      fx.dbFile,
      "SELECT column_name, is_nullable, data_type FROM duckdb_columns() WHERE table_name = 'orders' ORDER BY column_index",
    );
    expect(nullable.slice(0, 3)).toEqual([
      ['id', false, 'INTEGER'],
      ['name', true, 'VARCHAR'],
      ['amount', true, 'DECIMAL(12,2)'],
    ]);
    expect(await dest.count('sales.orders', ctx)).toBe(3);
  });
});

describe('DuckDB load modes', () => {
  it('replace drops a stale scratch table left by an earlier attempt of the same job', async () => {
    await withDb(fx.dbFile, (run) => run('CREATE TABLE "orders__dxa_job_7" (junk VARCHAR)'));
    const files = await stageParts(fx, 'csv');
    await dest.load(request('orders', 'replace', 'csv', files, 'job:7'), fx.stage, ctx);
    expect(await scratchTables(fx.dbFile)).toEqual([]);
    expect(await dest.count('orders', ctx)).toBe(3);
  });

  it('truncate keeps the target definition and replaces its rows', async () => {
    await withDb(fx.dbFile, (run) =>
      run(`CREATE TABLE orders (id INTEGER, name VARCHAR, amount DECIMAL(12,2), flag BOOLEAN, data BLOB, ts TIMESTAMP,
             "Day Of" DATE, note VARCHAR DEFAULT 'kept');
           INSERT INTO orders (id) SELECT range FROM range(100, 105)`),
    );
    const files = await stageParts(fx, 'parquet');
    expect(await dest.load(request('orders', 'truncate', 'parquet', files), fx.stage, ctx)).toEqual({
      rows: 3,
    });
    expect(await query(fx.dbFile, 'SELECT id, note FROM orders ORDER BY id')).toEqual([
      [1, 'kept'],
      [2, 'kept'],
      [3, 'kept'],
    ]);
  });

  it('fails naming a part a remote stage does not have, creating no table', async () => {
    const remote: StageConnector = {
      ...fx.stage,
      kind: 's3',
      localPath: () => undefined,
      describe: (p) => `s3://bucket/${p}`,
    };
    const files = [{ relPath: 'run1/part-00001.parquet', localPath: undefined, rows: 1 }];
    await expect(dest.load(request('orders', 'create', 'parquet', files), remote, ctx)).rejects.toMatchObject(
      {
        name: 'TerminalError',
        code: 'STAGE_ERROR',
        message: expect.stringContaining(
          'fetching s3://bucket/run1/part-00001.parquet for DuckDB failed',
        ) as unknown,
      },
    );
    expect(await dest.tableExists('orders', ctx)).toBe(false);
  });
});

describe('DuckDB destination lookups', () => {
  it('reports a table as missing without creating the database file', async () => {
    expect(await dest.tableExists('orders', ctx)).toBe(false);
    expect(existsSync(fx.dbFile)).toBe(false);
    await expect(dest.count('orders', ctx)).rejects.toMatchObject({ code: 'LOAD_ERROR' });
  });

  it('finds tables case-insensitively, in a schema, and only there', async () => {
    await withDb(fx.dbFile, (run) =>
      run('CREATE SCHEMA s; CREATE TABLE s."Orders" (x INTEGER); INSERT INTO s."Orders" VALUES (1), (2)'),
    );
    expect(await dest.tableExists('s.orders', ctx)).toBe(true);
    expect(await dest.tableExists('"S"."ORDERS"', ctx)).toBe(true);
    expect(await dest.tableExists('orders', ctx)).toBe(false);
    expect(await dest.tableExists('other.orders', ctx)).toBe(false);
    expect(await dest.count('s.Orders', ctx)).toBe(2);
    await expect(dest.count('missing', ctx)).rejects.toMatchObject({
      name: 'TerminalError',
      code: 'LOAD_ERROR',
    });
  });

  it('check creates and opens the database file', async () => {
    await dest.check(ctx);
    expect(existsSync(fx.dbFile)).toBe(true);
  });
});
