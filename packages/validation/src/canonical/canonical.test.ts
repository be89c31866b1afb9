import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbEndpoint } from '../test-support/duckdb-endpoint.js';
import { duckTorture, pgTorture, type PgTorture } from '../test-support/fixtures.js';
import { postgresEndpoint } from '../test-support/postgres-endpoint.js';
import { columnsFor, TORTURE_COLUMNS } from '../test-support/torture.js';
import type { ValidationEndpoint } from '../endpoint.js';
import { canonicalValue, rowText, rowTextOf } from './encode.js';

let pgSide: PgTorture;
let duck: DuckDBConnection;
const signal = new AbortController().signal;

beforeAll(async () => {
  pgSide = await pgTorture();
  duck = await duckTorture();
});
afterAll(async () => {
  duck.closeSync();
  await pgSide.close();
});

/** Canonical text of every torture cell, as `id → column → text`, computed by the engine. */
async function canonicalCells(
  endpoint: ValidationEndpoint,
): Promise<Record<string, Record<string, unknown>>> {
  const d = endpoint.dialect;
  const cols = await endpoint.describe({ table: 'torture' }, signal);
  const exprs = cols.map(
    (c) =>
      `${canonicalValue(d, { expr: d.ident(c.name), type: c.type, trimPadding: c.name === 'c' })} AS ${c.name}`,
  );
  const row = `${rowText(
    d,
    cols.map((c) => ({ expr: d.ident(c.name), type: c.type, trimPadding: c.name === 'c' })),
  )} AS row_text`;
  const rows = await endpoint.query(`SELECT ${[...exprs, row].join(', ')} FROM torture ORDER BY id`, signal);
  return Object.fromEntries(rows.map((r) => [String(r.id), r]));
}

describe('canonical encoding', () => {
  it('is identical on PostgreSQL and DuckDB for every torture cell', async () => {
    const pgCells = await canonicalCells(postgresEndpoint(pgSide.client));
    const duckCells = await canonicalCells(duckdbEndpoint(duck));
    expect(Object.keys(pgCells)).toHaveLength(14);
    for (const id of Object.keys(pgCells)) {
      for (const c of [...columnsFor('duckdb').map((x) => x.name), 'row_text']) {
        expect({ id, c, v: duckCells[id]?.[c] }).toEqual({ id, c, v: pgCells[id]?.[c] });
      }
    }
  });

  it('spells edge values as docs/validation.md says', async () => {
    const cells = await canonicalCells(postgresEndpoint(pgSide.client));
    const v = (id: number, col: string): unknown => cells[String(id)]?.[col];
    expect([v(1, 't'), v(2, 't'), v(5, 't')]).toEqual([null, '', 'N']);
    expect([v(2, 'b'), v(3, 'b')]).toEqual(['f', 't']);
    expect([v(5, 'd'), v(5, 'dn'), v(6, 'd'), v(8, 'd'), v(7, 'd')]).toEqual([
      '1.5',
      '1.5',
      '0',
      '-1.5',
      '0.0000000001',
    ]);
    expect([v(5, 'f64'), v(6, 'f64'), v(7, 'f64'), v(8, 'f64'), v(2, 'f64')]).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
      '0',
      '0',
    ]);
    // 0.1 = 0x1.999999999999ap-4; 5e-324 = 2^-1074.
    expect(v(10, 'f64')).toBe(`${0x1999999999999a}p-4`);
    expect(v(9, 'f64')).toBe(`${2 ** 52}p-1074`);
    expect(v(3, 'f64')).toBe(`${2 ** 53 - 1}p1023`);
    expect([v(4, 'dt'), v(5, 'dt'), v(6, 'dt'), v(3, 'dt')]).toEqual([
      '-4712-01-01',
      '0-01-01',
      '1-01-01',
      '5874897-12-31',
    ]);
    expect(v(4, 'ts')).toBe('-4712-01-01 00:00:00.000000');
    expect(v(11, 'tstz')).toBe('2020-06-01 06:30:00.123456');
    expect([v(3, 'tm'), v(4, 'tm')]).toEqual(['24:00:00.000000', '00:00:00.000001']);
    expect([v(3, 'c'), v(8, 'c')]).toEqual(['ab', ' a']);
    expect([v(3, 'bin'), v(2, 'bin')]).toEqual(['deadbeef00ff', '']);
    expect(v(3, 'u')).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(v(3, 'iv')).toBe('-14mon 3d -14706789000us');
    expect(v(2, 'row_text')).toBe(
      rowTextOf(TORTURE_COLUMNS.map((c) => (v(2, c.name) as string | null) ?? null)),
    );
  });
});
