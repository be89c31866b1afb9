import {
  makePartsFixture,
  type PartsFixture,
} from '@dxa/connectors/src/destinations/snowflake/test-support.js';

/**
 * A source table of values Snowflake can hold (no infinities, BC dates or 24:00), with the awkward
 * text the interchange CSV must carry: quotes, commas, newlines, empty strings next to NULLs.
 * float4 is left out: PostgreSQL prints it as float4, Snowflake holds it as a double.
 */
export const SOURCE_SQL = `
  CREATE TABLE src (
    id int8 PRIMARY KEY, b bool, i2 int2, i4 int4, f8 float8, n numeric(12,2), nu numeric,
    t text NOT NULL, "MixedCase" varchar(40), bin bytea, d date, tm time, ts timestamp, tstz timestamptz,
    u uuid, j json, jb jsonb
  );
  INSERT INTO src VALUES
    (-1, true, -32768, 2147483647, 0.1, 1234567890.12, 3.14159265358979323846264338327950288419716939937510,
     E'a "quoted", comma\\nnewline\\r\\n', 'ünïcödé ✓', '\\x00ff', '2024-02-29', '12:34:56.789',
     '2020-01-01 12:34:56.123456', '2020-06-01 12:00:00+05:30', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
     '{"a": [1, 2.50]}', '{"b": 1, "a": [1, 2.50]}'),
    (-2, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (-3, false, 0, 0, -1e300, -0.01, '-1e-20', E'\\\\.', '', '', '0001-01-01', '00:00:00',
     '1970-01-01 00:00:00', '1969-12-31 23:59:59.999999+00', '00000000-0000-0000-0000-000000000000', '""', '[]');
  INSERT INTO src
  SELECT g, g % 2 = 0, (g % 32767)::int2, g * 7919, g / 3.0 * 1e-3, (g * 1.37)::numeric(12,2),
         g::numeric / 7, md5(g::text) || CASE WHEN g % 5 = 0 THEN E'\\n"q", ' || g ELSE '' END,
         left(md5(g::text), g % 40), decode(md5(g::text), 'hex'), DATE '2000-01-01' + g,
         make_time(g % 24, g % 60, (g % 60) + 0.123456), TIMESTAMP '2000-01-01' + g * INTERVAL '1 hour 1 microsecond',
         TIMESTAMPTZ '1999-12-31 20:00:00-05' + g * INTERVAL '37 minutes', md5(g::text)::uuid,
         json_build_object('g', g), jsonb_build_object('g', g, 's', 'x"y,z')
    FROM generate_series(1, 3000) AS g;
`;
export const SOURCE_ROWS = 3003;

export function makeFixture(): Promise<PartsFixture> {
  return makePartsFixture(SOURCE_SQL);
}

export type { PartsFixture };
