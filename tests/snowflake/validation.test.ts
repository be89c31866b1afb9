import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresSource,
  createSnowflakeDestination,
  type DestinationConnector,
} from '@dxa/connectors/src/factories.js';
import {
  ctx,
  logger,
  makePartsFixture,
  type PartsFixture,
} from '@dxa/connectors/src/destinations/snowflake/test-support.js';
import type { SourceConnector } from '@dxa/connectors';
import { runValidation, type ValidationSide } from '@dxa/validation';
import type { SnowflakeFake } from '../fakes/snowflake/index.js';
import { startFake, targetConfig } from './support.js';

/**
 * Every type the Snowflake target holds from a Parquet load (docs/type-mapping.md), with edge
 * values: float specials and extremes, -0, decimals with trailing zeros, wide and unconstrained
 * numerics, CHAR padding, empty strings next to NULLs, year 1 and 9999, sub-second times.
 * Left out: interval (Snowflake keeps it as text, which compares as text, not as an interval) and
 * unconstrained numeric (kept as VARCHAR; the metrics level's SUM over a text column fails).
 */
const SOURCE_SQL = `
  CREATE TABLE src (
    id int8 PRIMARY KEY, b bool, i2 int2, i4 int4, i8 int8, f4 real, f8 float8, n numeric(12,2),
    n38 numeric(38,0), t text NOT NULL, vc varchar(40), ch char(5), bin bytea, d date,
    tm time, ts timestamp, tstz timestamptz, u uuid, j json, jb jsonb, arr int4[]
  );
  INSERT INTO src VALUES
    (-1, true, -32768, -2147483648, -9223372036854775808, 0.1, 0.1, 1234567890.10,
     10000000000000000000000000000000000000,
     E'a "quoted", comma\\nnewline', 'ünïcödé ✓', 'ab', '\\x00ff', '0001-01-01', '00:00:00.000001',
     '2020-01-01 12:34:56.123456', '2020-06-01 12:00:00+05:30', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
     '{"a": [1, 2.50]}', '{"b": 1, "a": [1, 2.50]}', '{1,NULL,3}'),
    (-2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL),
    (-3, false, 32767, 2147483647, 9223372036854775807, 'NaN', 'Infinity', -0.01, -1, E'\\\\.',
     '', '', '', '9999-12-31', '23:59:59.999999', '1970-01-01 00:00:00', '1969-12-31 23:59:59.999999+00',
     '00000000-0000-0000-0000-000000000000', '""', '[]', '{}'),
    (-4, true, 0, 0, 0, '-Infinity', '-0', 0.00, 0, ' ', ' ', '     ', '\\x', '2000-02-29',
     '12:00:00', '2000-02-29 23:59:59.5', '2000-01-01 00:00:00+14', NULL, 'null', 'null', '{}'),
    (-5, false, 1, 1, 1, 3.4028235e38, 5e-324, 9999999999.99, 99999999999999999999999999999,
     'x', 'y', 'zz', '\\xdeadbeef', '1900-01-01', '01:02:03', '1900-01-01 00:00:00.000001',
     '2038-01-19 03:14:08+00', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '1', '1.5e300', '{-1}'),
    (-6, true, -1, -1, -1, 1.17549435e-38, 1.7976931348623157e308, -9999999999.99, 5, 't', 't', 't',
     '\\x00', '2024-02-29', '13:14:15.5', '2024-02-29 00:00:00', '2024-02-29 00:00:00-08', NULL, '[1,2]',
     '{"k": "v"}', '{2}');
  INSERT INTO src
  SELECT g, g % 2 = 0, (g % 32767)::int2, g * 7919, g::int8 * 2654435761, (g / 7.0)::real, g / 3.0 * 1e-3,
         (g * 1.37)::numeric(12,2), g::numeric * 1000000007,
         md5(g::text) || CASE WHEN g % 5 = 0 THEN E'\\n"q", ' || g ELSE '' END, left(md5(g::text), g % 40),
         left(md5(g::text), g % 6), decode(md5(g::text), 'hex'), DATE '2000-01-01' + g,
         make_time(g % 24, g % 60, (g % 60) + 0.123456), TIMESTAMP '2000-01-01' + g * INTERVAL '1 hour 1 microsecond',
         TIMESTAMPTZ '1999-12-31 20:00:00-05' + g * INTERVAL '37 minutes', md5(g::text)::uuid,
         json_build_object('g', g), jsonb_build_object('g', g, 's', 'x"y,z'), ARRAY[g, g + 1]
    FROM generate_series(1, 3000) AS g;
`;
const SOURCE_ROWS = 3006;
const LEVELS = ['count', 'schema', 'metrics', 'rows'] as const;

let fake: SnowflakeFake;
let fx: PartsFixture;
let dest: DestinationConnector;
let source: SourceConnector;

const signal = () => new AbortController().signal;
const sides = (): [ValidationSide, ValidationSide] => [
  { endpoint: source.validationEndpoint!(), relation: { table: 'public.src' } },
  { endpoint: dest.validationEndpoint!(), relation: { table: 'SRC' } },
];

beforeAll(async () => {
  [fake, fx] = await Promise.all([startFake(), makePartsFixture(SOURCE_SQL)]);
  dest = createSnowflakeDestination(targetConfig(fake), logger);
  source = createPostgresSource(fx.pg, logger);
  const loaded = await dest.load(
    {
      table: 'src',
      mode: 'create',
      columns: fx.columns,
      format: 'parquet',
      files: fx.parts.parquet,
      jobId: 'v1',
    },
    fx.stage,
    ctx,
  );
  expect(loaded.rows).toBe(SOURCE_ROWS);
}, 120_000);

afterAll(async () => {
  await source?.close();
  await dest?.close();
  await fake?.close();
  await fx?.cleanup();
});

describe('validation of a Snowflake target (protocol fake) against its PostgreSQL source', () => {
  it('describes the table with Snowflake catalog types', async () => {
    const columns = await dest.validationEndpoint!().describe({ table: 'SRC' }, signal());
    const byName = Object.fromEntries(columns.map((c) => [c.name, c]));
    expect(byName.id).toMatchObject({ engineType: 'NUMBER(19,0)', type: 'int64', nullable: false });
    expect(byName.i2).toMatchObject({ engineType: 'NUMBER(5,0)', type: 'int16', nullable: true });
    expect(byName.n).toMatchObject({ type: 'decimal', precision: 12, scale: 2 });
    expect(byName.f4?.engineType).toBe('FLOAT');
    expect(byName.t).toMatchObject({ engineType: 'TEXT', type: 'text', nullable: false });
    expect(byName.bin?.engineType).toBe('BINARY');
    expect(byName.tm?.engineType).toBe('TIME');
    expect(byName.ts?.engineType).toBe('TIMESTAMP_NTZ');
    expect(byName.tstz?.engineType).toBe('TIMESTAMP_TZ');
    expect(columns.map((c) => c.name)).toEqual(fx.columns.map((c) => c.name));
  });

  it('finds no difference at any level after the load', async () => {
    const [s, t] = sides();
    const report = await runValidation(s, t, { levels: LEVELS, key: ['id'], signal: signal() });
    expect(report.result.count).toEqual({
      status: 'passed',
      source_rows: SOURCE_ROWS,
      target_rows: SOURCE_ROWS,
    });
    expect(report.result.schema).toEqual({ status: 'passed', differences: [] });
    expect(report.result.metrics).toEqual({ status: 'passed', differences: [] });
    expect(report.result.rows).toMatchObject({
      status: 'passed',
      differences: [],
      source_rows: SOURCE_ROWS,
      target_rows: SOURCE_ROWS,
    });
    expect(report.result.status).toBe('passed');
    // The Snowflake side really ran the Snowflake dialect through the SDK and the fake.
    expect(report.sql.target.some((q) => q.includes('TO_NUMBER('))).toBe(true);
    expect(fake.queries.some((q) => q.sqlText.includes('INFORMATION_SCHEMA.COLUMNS'))).toBe(true);
  });

  it('reports one changed cell, one deleted row and one added row by exact key, kind and column', async () => {
    await fake.engine.query(`UPDATE "SRC" SET "tstz" = "tstz" + INTERVAL 1 MICROSECOND WHERE "id" = 17`);
    await fake.engine.query(`DELETE FROM "SRC" WHERE "id" = -3`);
    await fake.engine.query(`INSERT INTO "SRC" ("id", "t") VALUES (5000000000, 'new')`);
    const [s, t] = sides();
    const report = await runValidation(s, t, { levels: LEVELS, key: ['id'], signal: signal() });
    expect(report.result.status).toBe('failed');
    expect(report.result.schema?.status).toBe('passed');
    expect(report.result.rows?.differences).toEqual([
      { key: { id: -3 }, kind: 'missing_in_target' },
      { key: { id: 17 }, kind: 'mismatch', columns: ['tstz'] },
      { key: { id: 5000000000 }, kind: 'extra_in_target' },
    ]);
    expect(report.result.rows).toMatchObject({ source_rows: SOURCE_ROWS, target_rows: SOURCE_ROWS });
    expect(report.result.metrics?.status).toBe('failed');
  });
});
