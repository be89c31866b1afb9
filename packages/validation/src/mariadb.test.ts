import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runValidation } from './run.js';
import { pgTorture, type PgTorture } from './test-support/fixtures.js';
import { mysqlConnection, mysqlEndpoint } from './test-support/mysql-endpoint.js';
import { postgresEndpoint } from './test-support/postgres-endpoint.js';
import { createTableSql, insertSql, MARIADB_ROWS } from './test-support/torture.js';
import type { ValidationSide } from './endpoint.js';
import type { ValidationOptions } from './types.js';

const database = `dxa_val_${randomBytes(4).toString('hex')}`;
let pgSide: PgTorture;
let my: mysql.Connection;
let source: ValidationSide;
let target: ValidationSide;

const options = (over: Partial<ValidationOptions> = {}): ValidationOptions => ({
  levels: ['count', 'schema', 'metrics', 'rows'],
  signal: new AbortController().signal,
  ...over,
});

beforeAll(async () => {
  pgSide = await pgTorture(MARIADB_ROWS);
  source = { endpoint: postgresEndpoint(pgSide.client), relation: { table: 'torture' } };
  const admin = await mysqlConnection();
  await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  my = await mysqlConnection(database);
  target = { endpoint: mysqlEndpoint(my), relation: { table: 'torture' } };
});
afterAll(async () => {
  await my.query(`DROP DATABASE IF EXISTS ${database}`);
  await my.end();
  await pgSide.close();
});
beforeEach(async () => {
  await my.query("SET time_zone = '+00:00'");
  await my.query('DROP TABLE IF EXISTS torture');
  await my.query(createTableSql('mysql', 'torture'));
  await my.query(insertSql('mysql', 'torture', MARIADB_ROWS));
  // A session in another zone: TIMESTAMP values must still compare in UTC.
  await my.query("SET time_zone = '+02:00'");
});

describe('PostgreSQL ↔ MariaDB torture table', () => {
  it('validates an equal copy with zero differences at every level', async () => {
    const report = await runValidation(source, target, options());
    expect(report.result.schema?.differences).toEqual([
      // PostgreSQL has an interval column MariaDB cannot hold.
      { column: 'iv', kind: 'missing_in_target', source: 'interval (interval)', target: null },
    ]);
    expect(report.result.metrics?.differences).toEqual([]);
    expect(report.result.rows?.differences).toEqual([]);
    expect(report.result.rows).toMatchObject({ status: 'passed', source_rows: 10, target_rows: 10 });
  });

  const injected: [string, string, object][] = [
    [
      'one cell changed',
      'UPDATE torture SET d = 2.5 WHERE id = 5',
      { key: { id: 5 }, kind: 'mismatch', columns: ['d'] },
    ],
    ['one row deleted', 'DELETE FROM torture WHERE id = 6', { key: { id: 6 }, kind: 'missing_in_target' }],
    ['one row added', 'INSERT INTO torture (id) VALUES (42)', { key: { id: 42 }, kind: 'extra_in_target' }],
    [
      'a NULL turned into an empty string',
      "UPDATE torture SET t = '' WHERE id = 1",
      { key: { id: 1 }, kind: 'mismatch', columns: ['t'] },
    ],
    [
      'a timestamp moved by one microsecond',
      'UPDATE torture SET tstz = tstz + INTERVAL 1 MICROSECOND WHERE id = 7',
      { key: { id: 7 }, kind: 'mismatch', columns: ['tstz'] },
    ],
    [
      'a float changed beyond tolerance',
      'UPDATE torture SET f64 = 0.10000000000000002e0 WHERE id = 5',
      { key: { id: 5 }, kind: 'mismatch', columns: ['f64'] },
    ],
  ];
  it.each(injected)(
    'reports %s with the exact key, kind and column only',
    async (_name, change, expected) => {
      await my.query(change);
      const report = await runValidation(source, target, options({ levels: ['rows'] }));
      expect(report.result.rows?.differences).toEqual([expected]);
    },
  );
});
