import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createTestDatabase, type TestDatabase } from '@dxa/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidation } from '../run.js';
import { duckdbEndpoint } from '../test-support/duckdb-endpoint.js';
import { postgresEndpoint } from '../test-support/postgres-endpoint.js';
import type { ValidationSide } from '../endpoint.js';
import type { ValidationOptions } from '../types.js';

const signal = new AbortController().signal;
const opts = (
  levels: ValidationOptions['levels'],
  over: Partial<ValidationOptions> = {},
): ValidationOptions => ({
  levels,
  signal,
  ...over,
});

async function duckWith(sql: string): Promise<DuckDBConnection> {
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(sql);
  return connection;
}
const side = (c: DuckDBConnection, table = 't'): ValidationSide => ({
  endpoint: duckdbEndpoint(c),
  relation: { table },
});

describe('schema level', () => {
  it('reports missing, extra, incompatible, nullability and precision differences, and case-only matches as notes', async () => {
    const a = await duckWith(
      'CREATE TABLE t (id INTEGER NOT NULL, amount DECIMAL(12,2), code INTEGER, note VARCHAR, gone DATE, n BIGINT)',
    );
    const b = await duckWith(
      'CREATE TABLE t (ID BIGINT NOT NULL, amount DECIMAL(12,1), code VARCHAR, note VARCHAR NOT NULL, added INTEGER, n INTEGER)',
    );
    const report = await runValidation(side(a), side(b), opts(['schema']));
    expect(report.result.schema?.differences).toEqual([
      { column: 'gone', kind: 'missing_in_target', source: 'DATE (date)', target: null },
      { column: 'added', kind: 'extra_in_target', source: null, target: 'INTEGER (int32)' },
      { column: 'amount', kind: 'precision', source: '12,2', target: '12,1' },
      { column: 'note', kind: 'nullability', source: 'NULL', target: 'NOT NULL' },
      { column: 'n', kind: 'type_mismatch', source: 'BIGINT (int64)', target: 'INTEGER (int32)' },
    ]);
    expect(report.result.status).toBe('failed');
    expect(report.notes).toEqual(['column id matched target column ID by name ignoring case']);
  });
});

describe('metrics level', () => {
  const table = `CREATE TABLE t AS SELECT i AS id, i * 0.5 AS x, CAST(i AS DOUBLE) / 3 AS f, DATE '2020-01-01' + CAST(i AS INTEGER) AS d,
    CASE WHEN i % 10 = 0 THEN NULL ELSE 'v' || (i % 7) END AS s FROM range(1, 1001) r(i)`;

  it('finds equal copies equal and names the column and metric that moved', async () => {
    const a = await duckWith(table);
    const b = await duckWith(table);
    expect((await runValidation(side(a), side(b), opts(['metrics']))).result.metrics).toEqual({
      status: 'passed',
      differences: [],
    });
    await b.run("UPDATE t SET d = DATE '2030-01-01', s = NULL WHERE id = 1");
    const report = await runValidation(side(a), side(b), opts(['metrics']));
    expect(report.result.metrics?.differences).toEqual([
      { column: 'd', metric: 'min', source: '2020-01-02', target: '2020-01-03' },
      { column: 'd', metric: 'max', source: '2022-09-27', target: '2030-01-01' },
      { column: 's', metric: 'count', source: '900', target: '899' },
      { column: 's', metric: 'null_count', source: '100', target: '101' },
    ]);
  });

  it('compares float sums within the tolerance and exact sums exactly', async () => {
    const a = await duckWith(table);
    const b = await duckWith(table);
    // +0.5 on one of 1000 values: the sum moves by 3e-6 relative, beyond the default 1e-12.
    await b.run('UPDATE t SET f = f + 0.5 WHERE id = 500');
    const strict = await runValidation(side(a), side(b), opts(['metrics']));
    expect(strict.result.metrics?.differences.map((d) => `${String(d.column)}.${String(d.metric)}`)).toEqual([
      'f.sum',
      'f.avg',
    ]);
    const loose = await runValidation(side(a), side(b), opts(['metrics'], { tolerance: { relative: 1e-4 } }));
    expect(loose.result.metrics).toEqual({ status: 'passed', differences: [] });
  });
});

describe('rows level across many buckets', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('valrows');
    client = await db.client();
    await client.query(`CREATE TABLE big (region text, id int, amount numeric(12,2), ts_at timestamptz, PRIMARY KEY (region, id));
      INSERT INTO big SELECT 'r' || (i % 3), i, i / 100.0, TIMESTAMPTZ '2024-01-01 00:00:00+00' + i * INTERVAL '1 second'
        FROM generate_series(1, 45000) i`);
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('narrows 45 000 rows in 5 buckets down to the changed keys of a composite key', async () => {
    const duck =
      await duckWith(`CREATE TABLE big (region VARCHAR NOT NULL, id INTEGER NOT NULL, amount DECIMAL(12,2), ts_at TIMESTAMPTZ);
      INSERT INTO big SELECT 'r' || (i % 3), i, i / 100.0, TIMESTAMPTZ '2024-01-01 00:00:00+00' + i * INTERVAL 1 SECOND
        FROM range(1, 45001) r(i);
      UPDATE big SET amount = amount + 0.01 WHERE id = 777;
      DELETE FROM big WHERE id = 40000;`);
    const report = await runValidation(
      { endpoint: postgresEndpoint(client), relation: { table: 'big' } },
      side(duck, 'big'),
      opts(['rows']),
    );
    expect(report.key).toEqual(['region', 'id']);
    expect(report.buckets).toEqual({ total: 5, differing: 2 });
    expect(report.result.rows).toEqual({
      status: 'failed',
      source_rows: 45000,
      target_rows: 44999,
      truncated: false,
      differences: [
        { key: { region: 'r0', id: 777 }, kind: 'mismatch', columns: ['amount'] },
        { key: { region: 'r1', id: 40000 }, kind: 'missing_in_target' },
      ],
    });
    expect(report.reselect?.source).toContain(`"region" AS TEXT) = 'r0'`);
  });
});
