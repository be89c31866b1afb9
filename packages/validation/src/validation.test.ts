import type { DuckDBConnection } from '@duckdb/node-api';
import { CancelledError } from '@dxa/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runValidation } from './run.js';
import { duckdbEndpoint } from './test-support/duckdb-endpoint.js';
import { duckTorture, pgTorture, type PgTorture } from './test-support/fixtures.js';
import { postgresEndpoint } from './test-support/postgres-endpoint.js';
import type { ValidationSide } from './endpoint.js';
import type { ValidationOptions } from './types.js';

let pgSide: PgTorture;
let source: ValidationSide;
let duck: DuckDBConnection;
let target: ValidationSide;

const options = (over: Partial<ValidationOptions> = {}): ValidationOptions => ({
  levels: ['count', 'schema', 'metrics', 'rows'],
  signal: new AbortController().signal,
  ...over,
});

beforeAll(async () => {
  pgSide = await pgTorture();
  source = { endpoint: postgresEndpoint(pgSide.client), relation: { table: 'torture' } };
});
afterAll(async () => {
  await pgSide.close();
});
beforeEach(async () => {
  duck = await duckTorture();
  target = { endpoint: duckdbEndpoint(duck), relation: { table: 'torture' } };
});

describe('PostgreSQL ↔ DuckDB torture table', () => {
  it('validates an equal copy with zero differences at every level', async () => {
    const report = await runValidation(source, target, options());
    expect(report.result.schema?.differences).toEqual([]);
    expect(report.result.metrics?.differences).toEqual([]);
    expect(report.result.rows?.differences).toEqual([]);
    expect(report.result).toMatchObject({
      status: 'passed',
      count: { status: 'passed', source_rows: 14, target_rows: 14 },
      rows: { status: 'passed', source_rows: 14, target_rows: 14, truncated: false },
    });
    expect(report.key).toEqual(['id']);
  });

  const injected: [string, string, object][] = [
    [
      'one cell changed',
      'UPDATE torture SET i32 = 1 WHERE id = 2',
      { key: { id: 2 }, kind: 'mismatch', columns: ['i32'] },
    ],
    ['one row deleted', 'DELETE FROM torture WHERE id = 5', { key: { id: 5 }, kind: 'missing_in_target' }],
    [
      'one row added',
      "INSERT INTO torture (id, t) VALUES (100, 'new')",
      { key: { id: 100 }, kind: 'extra_in_target' },
    ],
    [
      'a NULL turned into an empty string',
      "UPDATE torture SET t = '' WHERE id = 1",
      { key: { id: 1 }, kind: 'mismatch', columns: ['t'] },
    ],
    [
      'a timestamp moved by one microsecond',
      "UPDATE torture SET ts = ts + INTERVAL '1 microsecond' WHERE id = 7",
      { key: { id: 7 }, kind: 'mismatch', columns: ['ts'] },
    ],
    [
      'a float changed by one ulp',
      'UPDATE torture SET f64 = 0.10000000000000002::DOUBLE WHERE id = 10',
      { key: { id: 10 }, kind: 'mismatch', columns: ['f64'] },
    ],
    [
      'a duplicated key',
      'ALTER TABLE torture RENAME TO t0; CREATE TABLE torture AS SELECT * FROM t0 UNION ALL SELECT * FROM t0 WHERE id = 9',
      { key: { id: 9 }, kind: 'duplicate_key', side: 'target' },
    ],
  ];
  it.each(injected)(
    'reports %s with the exact key, kind and column only',
    async (_name, change, expected) => {
      await duck.run(change);
      const report = await runValidation(source, target, options({ levels: ['rows'] }));
      expect(report.result.status).toBe('failed');
      expect(report.result.rows?.differences).toEqual([expected]);
    },
  );

  it('caps the listed differences and says so', async () => {
    await duck.run('DELETE FROM torture WHERE id > 3');
    const report = await runValidation(source, target, options({ levels: ['rows'], maxDifferences: 4 }));
    expect(report.result.rows).toMatchObject({
      status: 'failed',
      truncated: true,
      source_rows: 14,
      target_rows: 3,
    });
    expect(report.result.rows?.differences.map((d) => d.key)).toEqual([
      { id: 4 },
      { id: 5 },
      { id: 6 },
      { id: 7 },
    ]);
  });

  it('skips the rows level with a reason when there is no key', async () => {
    const noPk = { ...source, endpoint: { ...source.endpoint, primaryKey: undefined } };
    const report = await runValidation(noPk, target, options({ levels: ['rows'] }));
    expect(report.result.rows).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('no key') as string,
    });
  });

  it('stops with CancelledError when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runValidation(source, target, options({ levels: ['rows'], signal: controller.signal })),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('PostgreSQL ↔ PostgreSQL torture table', () => {
  it('validates an equal copy in another database with zero differences', async () => {
    const copy = await pgTorture();
    try {
      const report = await runValidation(
        source,
        { endpoint: postgresEndpoint(copy.client), relation: { table: 'torture' } },
        options(),
      );
      expect(report.result).toEqual({
        status: 'passed',
        count: { status: 'passed', source_rows: 14, target_rows: 14 },
        schema: { status: 'passed', differences: [] },
        metrics: { status: 'passed', differences: [] },
        rows: { status: 'passed', differences: [], source_rows: 14, target_rows: 14, truncated: false },
      });
    } finally {
      await copy.close();
    }
  });
});
