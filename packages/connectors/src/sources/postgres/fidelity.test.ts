// End to end value fidelity: PostgreSQL → interchange CSV → Parquet (and gzip CSV) → DuckDB.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TerminalError } from '@dxa/errors';
import { writeParquetParts } from '@dxa/files';
import { createLogger } from '@dxa/logger';
import type { SourceConnector } from '../../core/types.js';
import { duckdbProbeRows, extractToParts } from '../fidelity-support.js';
import { createPostgresSource } from './source.js';
import { createTestDatabase, type TestDatabase } from './test-support.js';

const logger = createLogger('postgres-fidelity-test');
const ctx = () => ({ signal: new AbortController().signal });

const SCHEMA = `
  CREATE EXTENSION citext;
  CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE DOMAIN amount AS numeric(10,3);
  CREATE TABLE fid (
    id int8 PRIMARY KEY, b bool, i2 int2, i4 int4, f4 float4, f8 float8, n numeric(12,2), nu numeric, nneg numeric(7,-2),
    t text, vc varchar(40), bp char(5), nm name, ci citext, bin bytea, d date, tm time, ttz timetz, ts timestamp,
    tstz timestamptz, iv interval, u uuid, j json, jb jsonb, arr int4[], e mood, dom amount
  );
  INSERT INTO fid VALUES
    (-1, true, -32768, 2147483647, 1.1, 0.1, 1234567890.12, 3.14159265358979323846264338327950288419716939937510, 12345,
     E'a "quoted", comma\\nnewline', 'ünïcödé ✓ 😀', 'ab', 'name', 'CaSe', '\\x00ff',
     '2024-02-29', '12:34:56.789', '12:00:00+05:30', '2020-01-01 12:34:56.123456', '2020-06-01 12:00:00+05:30',
     '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.50]}', '{"b": 1, "a": [1, 2.50]}',
     '{1,NULL,3}', 'happy', 12.345),
    (-2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (-3, false, 0, 0, 'NaN', '-Infinity', 0, 'NaN', 0, '', '', '', '', '', '',
     '4713-01-01 BC', '24:00:00', '00:00:00-03', 'infinity', '-infinity', '-1 days +02:00:00', NULL, '""', '[]', '{}', 'sad', 0),
    (-4, true, 1, 1, '-0', 1e300, -0.01, '-1e-20', -100, E'  \\\\. NULL \\r\\n  ', 'NULL', ' x', '\\', '', '\\x',
     '0001-01-01 BC', '00:00:00', '23:59:59.999999+14', '0044-03-15 09:00:00.5 BC', '0044-03-15 09:00:00+00 BC', '1 year -2 mons +3 days -04:05:06',
     '00000000-0000-0000-0000-000000000000', '{"u": "\\u00e9"}', '{"u": "\\u00e9"}', '{{1,2},{3,4}}', 'ok', -0.001),
    (-5, true, 32767, -2147483648, 3.4028235e38, 5e-324, -9999999999.99, '1e-1000', -9999900, repeat('long ', 100000), 'x', 'abcde', 'n', 'Ü', decode(repeat('ab', 50000), 'hex'),
     '5874897-12-31', '23:59:59.999999', '00:00:00+00', '294246-12-31 23:59:59.999999', '1970-01-01 00:00:00+00', '-178000000 years',
     'ffffffff-ffff-ffff-ffff-ffffffffffff', '[]', 'null', '{}', 'happy', 9999999.999);
  INSERT INTO fid
  SELECT g, g % 2 = 0, (g % 32767)::int2, g * 7919, (g / 7.0)::float4, g / 3.0 * 1e-3, (g * 1.37)::numeric(12,2), g::numeric / 7,
         (g * 100)::numeric(7,-2), md5(g::text) || CASE WHEN g % 5 = 0 THEN E'\\n"q", ' || g ELSE '' END, left(md5(g::text), g % 40),
         left(md5(g::text), 3), md5(g::text)::name, upper(md5(g::text)), decode(md5(g::text), 'hex'),
         DATE '2000-01-01' + g, make_time(g % 24, g % 60, (g % 60) + 0.123456), make_time(g % 24, 0, 0)::timetz,
         TIMESTAMP '2000-01-01' + g * INTERVAL '1 hour 1 microsecond', TIMESTAMPTZ '1999-12-31 20:00:00-05' + g * INTERVAL '37 minutes',
         g * INTERVAL '1 mon 1 day 1 microsecond' - INTERVAL '1000 days', md5(g::text)::uuid, json_build_object('g', g),
         jsonb_build_object('g', g, 's', 'x"y,z'), ARRAY[g, g + 1], (ARRAY['sad', 'ok', 'happy'])[g % 3 + 1]::mood, (g / 1000.0)::amount
    FROM generate_series(1, 20000) AS g;
`;

/** Per column: a PostgreSQL and a DuckDB expression yielding the same text for the same value. */
type Probe = { name: string; pg: string; duck: string; compare?: 'float4' | 'float8' };
const text = (name: string): Probe => ({ name, pg: `${name}::text`, duck: `CAST(${name} AS VARCHAR)` });
const epochUs = (name: string): Probe => ({
  name,
  pg: `CASE WHEN isfinite(${name}) THEN (extract(epoch FROM ${name}) * 1000000)::bigint::text ELSE ${name}::text END`,
  duck: `CASE WHEN isfinite(${name}) THEN CAST(epoch_us(${name}) AS VARCHAR) ELSE CAST(${name} AS VARCHAR) END`,
});
const PROBES: Probe[] = [
  text('id'),
  text('b'),
  text('i2'),
  text('i4'),
  { ...text('f4'), compare: 'float4' },
  { ...text('f8'), compare: 'float8' },
  text('n'),
  text('nu'),
  text('nneg'),
  text('t'),
  text('vc'),
  // char(n) keeps its padding in the CSV; ::text would strip it on the PostgreSQL side.
  { name: 'bp', pg: 'rpad(bp::text, 5)', duck: 'CAST(bp AS VARCHAR)' },
  text('nm'),
  text('ci'),
  { name: 'bin', pg: "encode(bin, 'hex')", duck: 'lower(hex(bin))' },
  {
    name: 'd',
    pg: "CASE WHEN isfinite(d) THEN (d - DATE '1970-01-01')::text ELSE d::text END",
    duck: "CASE WHEN isfinite(d) THEN CAST(date_diff('day', DATE '1970-01-01', d) AS VARCHAR) ELSE CAST(d AS VARCHAR) END",
  },
  text('tm'),
  text('ttz'),
  epochUs('ts'),
  epochUs('tstz'),
  {
    name: 'iv',
    pg: `(extract(year FROM iv) * 12 + extract(month FROM iv))::bigint || ' ' || extract(day FROM iv)::bigint || ' ' ||
         (extract(hour FROM iv) * 3600000000 + extract(minute FROM iv) * 60000000 + extract(microseconds FROM iv))::bigint`,
    // Parquet parts hold intervals as strings (see docs/interchange.md); CSV reads give INTERVAL.
    duck: `CAST(datepart('year', CAST(iv AS INTERVAL)) * 12 + datepart('month', CAST(iv AS INTERVAL)) AS VARCHAR) || ' ' ||
           CAST(datepart('day', CAST(iv AS INTERVAL)) AS VARCHAR) || ' ' ||
           CAST(datepart('hour', CAST(iv AS INTERVAL)) * 3600000000 + datepart('minute', CAST(iv AS INTERVAL)) * 60000000
                + datepart('microseconds', CAST(iv AS INTERVAL)) AS VARCHAR)`,
  },
  text('u'),
  text('j'),
  text('jb'),
  text('arr'),
  text('e'),
  text('dom'),
];

let db: TestDatabase;
let source: SourceConnector;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql.query(SCHEMA);
  source = createPostgresSource(db.conn, logger);
});
afterAll(async () => {
  await source?.close();
  await db?.drop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dxa-fidelity-'));
  return () => rm(dir, { recursive: true, force: true });
});

async function expectedRows(): Promise<(string | null)[][]> {
  await db.sql.query('SET extra_float_digits = 3');
  const { rows } = await db.sql.query<Record<string, string | null>>(
    `SELECT ${PROBES.map((p) => `${p.pg} AS "${p.name}"`).join(', ')} FROM fid ORDER BY id`,
  );
  return rows.map((r) => PROBES.map((p) => r[p.name] ?? null));
}

function float(value: string | null): number | null {
  if (value === null) return null;
  return ({ inf: Infinity, '-inf': -Infinity, nan: NaN } as Record<string, number>)[value] ?? Number(value);
}

/** Compares row by row; floats by value (both sides print them differently), the rest as text. */
function expectSameValues(actual: (string | null)[][], expected: (string | null)[][]): void {
  expect(actual).toHaveLength(expected.length);
  const mismatches: string[] = [];
  for (const [r, row] of expected.entries()) {
    for (const [c, probe] of PROBES.entries()) {
      const want = row[c] ?? null;
      const got = actual[r]?.[c] ?? null;
      const same =
        probe.compare === 'float4'
          ? Object.is(Math.fround(float(got) ?? 0), Math.fround(float(want) ?? 0)) &&
            (got === null) === (want === null)
          : probe.compare === 'float8'
            ? Object.is(float(got), float(want))
            : got === want;
      if (!same && mismatches.length < 20)
        mismatches.push(
          `id ${String(row[0])} ${probe.name}: expected ${String(want).slice(0, 80)} got ${String(got).slice(0, 80)}`,
        );
    }
  }
  expect(mismatches).toEqual([]);
}

describe('PostgreSQL → interchange CSV → DuckDB fidelity', () => {
  it('keeps every value through Parquet parts', async () => {
    const { files, readBack } = await extractToParts(
      source,
      { connection: 'pg', table: 'fid' },
      dir,
      'parquet',
    );
    expect(files.length).toBeGreaterThan(1);
    expect(files.reduce((n, f) => n + f.rows, 0)).toBe(20_005);
    expectSameValues(await duckdbProbeRows(PROBES, readBack), await expectedRows());
  });

  it('keeps every value through gzip CSV parts read with duckdbReadCsvSql', async () => {
    const { files, readBack } = await extractToParts(source, { connection: 'pg', table: 'fid' }, dir, 'csv');
    expect(files.length).toBeGreaterThan(1);
    expectSameValues(await duckdbProbeRows(PROBES, readBack), await expectedRows());
  });

  it('fails loudly on values DuckDB cannot hold, leaving no files', async () => {
    for (const query of [
      "SELECT 'NaN'::numeric(12,2) AS n",
      "SELECT '294276-12-31 23:59:59'::timestamp AS ts",
    ]) {
      const r = { connection: 'pg', query };
      const { columns } = await source.describe(r, ctx());
      const error = await writeParquetParts({
        input: await source.extractCsv(r, columns, ctx()),
        columns,
        dir,
        fileSizeBytes: 1 << 20,
        signal: ctx().signal,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TerminalError);
      expect((error as Error).message).toMatch(/could not convert/);
      expect(await readdir(dir)).toEqual([]);
    }
  });
});
