// Property-style round trip: seeded rows of every logical type with edge values, encoded to
// interchange CSV, read back by DuckDB with the loaders' explicit casts, every value compared.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance, DuckDBIntervalValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbReadCsvSql, quoteDuckdbIdent } from '@dxa/files';
import { encodeRows, type CsvColumn } from './value-rows.js';
import { SAMPLE_COLUMNS, sampleRows } from './value-samples-time.js';
import type { Truth } from './value-samples.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dxa-value-rows-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A DuckDB expression printing a column as the comparable below expects it. */
function probe(column: CsvColumn): string {
  const q = quoteDuckdbIdent(column.name);
  const finite = (exact: string) =>
    `CASE WHEN isfinite(${q}) THEN CAST(${exact} AS VARCHAR) ELSE CAST(${q} AS VARCHAR) END`;
  switch (column.type) {
    case 'binary':
      return `lower(hex(${q}))`;
    case 'date':
      return finite(`${q} - DATE '1970-01-01'`);
    case 'time':
      return `(hour(${q}) * 3600 + minute(${q}) * 60) * 1000000 + microsecond(${q})`;
    case 'timestamp':
    case 'timestamptz':
      return finite(`epoch_us(${q})`);
    case 'decimal':
    case 'uuid':
    case 'json':
      return `CAST(${q} AS VARCHAR)`;
    default:
      return q;
  }
}

/** One text per value, the same for the truth and for what DuckDB read (floats exactly, -0 kept). */
function comparable(value: Truth | DuckDBIntervalValue | null): string | null {
  if (value === null) return null;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (value instanceof DuckDBIntervalValue) return `${value.months}/${value.days}/${value.micros}`;
  if (typeof value === 'object') return `${value.months}/${value.days}/${value.micros}`;
  return String(value);
}

async function duckdbRead(sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRows();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('encodeRows read back by DuckDB', () => {
  const columns: CsvColumn[] = [{ name: 'id', type: 'int32' }, ...SAMPLE_COLUMNS];

  it.each([1, 2, 3])('keeps every value of 1500 seeded rows (seed %i)', async (seed) => {
    const samples = sampleRows(seed, 1500);
    const path = join(dir, `seed-${seed}.csv`);
    const rows = samples.map((row, id) => [id, ...row.map((s) => (s === null ? null : s.js))]);
    await pipeline(encodeRows(columns, rows), createWriteStream(path));
    const select = duckdbReadCsvSql([path], columns, { parallel: false });
    const read = await duckdbRead(
      `SELECT ${columns.map(probe).join(', ')} FROM (${select}) AS r ORDER BY ${quoteDuckdbIdent('id')}`,
    );
    expect(read).toHaveLength(samples.length);
    const differences: string[] = [];
    samples.forEach((row, id) =>
      row.forEach((sample, i) => {
        const expected = sample === null ? null : comparable(sample.truth);
        const got = comparable(read[id]![i + 1] as Truth | null);
        if (got !== expected)
          differences.push(
            `row ${id} ${SAMPLE_COLUMNS[i]!.name}: ${JSON.stringify(expected)} read back as ${JSON.stringify(got)}`,
          );
      }),
    );
    expect(differences).toEqual([]);
  });
});
