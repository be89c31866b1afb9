// Shared setup of the PostgreSQL source tests: one database with every mapped type.
import { afterAll, beforeAll } from 'vitest';
import type { SourceRef } from '@dxa/contracts';
import { createLogger } from '@dxa/logger';
import type { SourceConnector } from '../../core/types.js';
import { createPostgresSource } from './source.js';
import { createTestDatabase, type TestDatabase } from './test-support.js';

const logger = createLogger('postgres-source-test');
export const ctx = () => ({ signal: new AbortController().signal });
export const ref = (extra: Partial<SourceRef>): SourceRef => ({ connection: 'pg', ...extra });

export const SCHEMA = `
  CREATE EXTENSION citext;
  CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE DOMAIN amount AS numeric(10,3);
  CREATE TABLE public.all_types (
    id int8 PRIMARY KEY,
    b bool, i2 int2, i4 int4 NOT NULL DEFAULT 0,
    gone int,
    f4 float4, f8 float8, n numeric(12,2), nu numeric, nneg numeric(5,-2),
    t text, vc varchar(20), bp char(5), nm name, ci citext, bin bytea,
    d date, tm time, ttz timetz, ts timestamp, tstz timestamptz, iv interval,
    u uuid, j json, jb jsonb, arr int4[], e mood, dom amount
  );
  ALTER TABLE public.all_types DROP COLUMN gone;
  INSERT INTO public.all_types VALUES
    (1, true, -32768, 2147483647, 1.1, 0.1, 1234567890.12, 3.14159265358979323846264338327950288419716939937510, 12345,
     E'a "quoted", comma\\nnewline', 'ünïcödé ✓ 😀', 'ab', 'name', 'CaSe', '\\x00ff',
     '2024-02-29', '12:34:56.789', '12:00:00+05:30', '2020-01-01 12:34:56.123456', '2020-06-01 12:00:00+05:30',
     '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.50]}', '{"b": 1, "a": [1, 2.50]}',
     '{1,NULL,3}', 'happy', 12.345),
    (2, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, false, 0, 0, 'NaN', '-Infinity', 0, 'NaN', 0, '', '', '', '', '', '',
     '4713-01-01 BC', '24:00:00', '00:00:00-03', 'infinity', '-infinity', '-1 days +02:00:00', NULL, '""', '[]', '{}', 'sad', 0),
    (4, true, 1, 1, '-0', 1e300, -0.01, '-1e-20', -100, E'  \\\\. NULL \\r\\n  ', 'NULL', ' x', '\\', '', '\\x',
     '0001-01-01', '00:00:00', '23:59:59.999999+14', '0044-03-15 09:00:00.5 BC', '0044-03-15 09:00:00+00 BC', '-178000000 years',
     '00000000-0000-0000-0000-000000000000', '{"u": "\\u00e9"}', '{"u": "\\u00e9"}', '{{1,2},{3,4}}', 'ok', -0.001);
  ANALYZE public.all_types;
  CREATE SCHEMA "Odd Schema";
  CREATE TABLE "Odd Schema"."Weird ""Name""" ("Col A" int, "col,b" text);
  INSERT INTO "Odd Schema"."Weird ""Name""" VALUES (1, 'x'), (2, 'y');
`;

/** Creates the database before the file's tests and drops it after; read `db`/`source` inside tests. */
export function useSourceFixture(): { db: TestDatabase; source: SourceConnector } {
  const fx = {} as { db: TestDatabase; source: SourceConnector };
  beforeAll(async () => {
    fx.db = await createTestDatabase();
    await fx.db.sql.query(SCHEMA);
    fx.source = createPostgresSource(fx.db.conn, logger);
  });
  afterAll(async () => {
    await fx.source?.close();
    await fx.db?.drop();
  });
  return fx;
}
