import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationConnector, StageConnector } from '../../core/types.js';
import { createPostgresDestination } from './destination.js';
import { SOURCE_ROWS, ctx, differences, logger, makeFixture, request, type Fixture } from './test-support.js';

let fx: Fixture;
let dest: DestinationConnector;

beforeAll(async () => {
  fx = await makeFixture();
  dest = createPostgresDestination(fx.conn, logger);
});
afterAll(async () => {
  await dest?.close();
  await fx?.cleanup();
});

// Modes, all-or-nothing, names and aborts every destination shares: contract.test.ts.
describe.each(['csv', 'parquet'] as const)('PostgreSQL load from %s parts', (format) => {
  it('builds several parts from the source', () => {
    expect(fx.parts[format].length).toBeGreaterThan(1);
    expect(fx.parts[format].reduce((n, f) => n + f.rows, 0)).toBe(SOURCE_ROWS);
  });

  it('create: typed DDL with NOT NULL where declared, every value as in the source', async () => {
    const table = `created_${format}`;
    expect(await dest.load(request(fx, table, 'create', format), fx.stage, ctx)).toEqual({
      rows: SOURCE_ROWS,
    });
    expect(await differences(fx, table)).toBe(0);
    const { rows } = await fx.db.query<{ attname: string; type: string; attnotnull: boolean }>(
      `SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 ORDER BY attnum`,
      [table],
    );
    expect(rows.map((r) => [r.attname, r.type, r.attnotnull])).toEqual([
      ['id', 'bigint', true],
      ['b', 'boolean', false],
      ['i2', 'smallint', false],
      ['i4', 'integer', false],
      ['f4', 'real', false],
      ['f8', 'double precision', false],
      ['n', 'numeric(12,2)', false],
      ['nu', 'numeric', false],
      ['t', 'text', true],
      ['vc', 'text', false],
      ['bin', 'bytea', false],
      ['d', 'date', false],
      ['tm', 'time without time zone', false],
      ['ts', 'timestamp without time zone', false],
      ['tstz', 'timestamp with time zone', false],
      ['iv', 'interval', false],
      ['u', 'uuid', false],
      ['j', 'jsonb', false],
      ['jb', 'jsonb', false],
    ]);
    expect(await dest.count(table, ctx)).toBe(SOURCE_ROWS);
  });

  it('reads parts through the stage when it has no local copy', async () => {
    const table = `streamed_${format}`;
    const remote: StageConnector = { ...fx.stage, kind: 'remote', localPath: () => undefined };
    expect(await dest.load(request(fx, table, 'create', format), remote, ctx)).toEqual({ rows: SOURCE_ROWS });
    expect(await differences(fx, table)).toBe(0);
  });

  it('truncate: keeps the target definition and replaces its rows', async () => {
    const table = `truncated_${format}`;
    await fx.db.query(`CREATE TABLE ${table} (LIKE src, note text DEFAULT 'kept');
      INSERT INTO ${table} (id, t) SELECT g, 'old' FROM generate_series(100000, 100009) AS g`);
    expect(await dest.load(request(fx, table, 'truncate', format), fx.stage, ctx)).toEqual({
      rows: SOURCE_ROWS,
    });
    const { rows } = await fx.db.query<{ n: string; kept: string }>(
      `SELECT count(*)::text AS n, count(*) FILTER (WHERE note = 'kept')::text AS kept FROM ${table}`,
    );
    expect(rows[0]).toEqual({ n: String(SOURCE_ROWS), kept: String(SOURCE_ROWS) });
    await fx.db.query(`ALTER TABLE ${table} DROP COLUMN note`);
    expect(await differences(fx, table)).toBe(0);
  });
});

describe('PostgreSQL destination names and lookups', () => {
  it('creates a missing schema for schema.table and finds the table there only', async () => {
    expect(await dest.tableExists('"Sales Data".orders', ctx)).toBe(false);
    await dest.load(request(fx, '"Sales Data".orders', 'create', 'csv'), fx.stage, ctx);
    expect(await differences(fx, '"Sales Data".orders')).toBe(0);
    expect(await dest.tableExists('"Sales Data".orders', ctx)).toBe(true);
    expect(await dest.tableExists('orders', ctx)).toBe(false);
    expect(await dest.count('"Sales Data"."orders"', ctx)).toBe(SOURCE_ROWS);
  });
});
