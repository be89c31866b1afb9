// Helpers shared by the PostgreSQL destination tests: a throw-away database holding a source table
// with every type, and parts written from it by the real source and part writers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PostgresConnection } from '../../sources/postgres/description.js';
import { writeCsvGzipParts, writeParquetParts } from '@dxa/files';
import { createLogger } from '@dxa/logger';
import { createTestDatabase, type TestDatabase } from '@dxa/testing';
import type { Column, LoadFile, LoadRequest, RunContext, StageConnector } from '../../core/types.js';
import { createPostgresSource } from '../../sources/postgres/index.js';
import { pgConnection } from '../../sources/postgres/test-support.js';
import { createLocalStage } from '../../stages/local/index.js';

export const logger = createLogger('postgres-destination-test');
export const ctx: RunContext = { signal: new AbortController().signal };

// Awkward values DuckDB can also hold, so the same table serves the Parquet path.
const SOURCE_TABLE = `
  CREATE TABLE src (
    id int8 PRIMARY KEY, b bool, i2 int2, i4 int4, f4 float4, f8 float8, n numeric(12,2), nu numeric,
    t text NOT NULL, vc varchar(40), bin bytea, d date, tm time, ts timestamp, tstz timestamptz,
    iv interval, u uuid, j json, jb jsonb
  );
  INSERT INTO src VALUES
    (-1, true, -32768, 2147483647, 1.1, 0.1, 1234567890.12, 3.14159265358979323846264338327950288419716939937510,
     E'a "quoted", comma\\nnewline\\r\\n', 'ünïcödé ✓ 😀', '\\x00ff', '2024-02-29', '12:34:56.789',
     '2020-01-01 12:34:56.123456', '2020-06-01 12:00:00+05:30', '1 year 2 mons 3 days 04:05:06.789',
     'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.50]}', '{"b": 1, "a": [1, 2.50]}'),
    (-2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (-3, false, 0, 0, 'NaN', '-Infinity', 0, 'NaN', E'\\\\.', '', '', '4713-01-01 BC', '24:00:00', 'infinity',
     '-infinity', '-1 days +02:00:00', NULL, '""', '[]'),
    (-4, true, 1, 1, '-0', 1e300, -0.01, '-1e-20', E'  \\\\. NULL \\r\\n  ', 'NULL', '\\x', '0001-01-01 BC',
     '00:00:00', '0044-03-15 09:00:00.5 BC', '0044-03-15 09:00:00+00 BC', '1 year -2 mons +3 days -04:05:06',
     '00000000-0000-0000-0000-000000000000', '{"u": "\\u00e9"}', 'null');
  INSERT INTO src
  SELECT g, g % 2 = 0, (g % 32767)::int2, g * 7919, (g / 7.0)::float4, g / 3.0 * 1e-3, (g * 1.37)::numeric(12,2),
         g::numeric / 7, md5(g::text) || CASE WHEN g % 5 = 0 THEN E'\\n"q", ' || g ELSE '' END,
         left(md5(g::text), g % 40), decode(md5(g::text), 'hex'), DATE '2000-01-01' + g,
         make_time(g % 24, g % 60, (g % 60) + 0.123456), TIMESTAMP '2000-01-01' + g * INTERVAL '1 hour 1 microsecond',
         TIMESTAMPTZ '1999-12-31 20:00:00-05' + g * INTERVAL '37 minutes',
         g * INTERVAL '1 mon 1 day 1 microsecond' - INTERVAL '1000 days', md5(g::text)::uuid,
         json_build_object('g', g), jsonb_build_object('g', g, 's', 'x"y,z')
    FROM generate_series(1, 5000) AS g;
`;

export const SOURCE_ROWS = 5004;

/** Per column, text that is equal exactly when the values are (json compared in jsonb form). */
function textProjection(columns: Column[]): string {
  return columns
    .map((c) => (c.type === 'json' ? `"${c.name}"::jsonb::text` : `"${c.name}"::text`))
    .join(', ');
}

export type Fixture = {
  db: TestDatabase;
  conn: PostgresConnection;
  columns: Column[];
  dir: string;
  stage: StageConnector;
  /** Parts of the source table as load files, per format. */
  parts: Record<'csv' | 'parquet', LoadFile[]>;
  cleanup(): Promise<void>;
};

async function writeParts(
  fx: Omit<Fixture, 'parts' | 'cleanup'>,
  format: 'csv' | 'parquet',
): Promise<LoadFile[]> {
  const source = createPostgresSource(fx.conn, logger);
  try {
    const ref = { connection: 'pg', table: 'src' };
    const writer = format === 'csv' ? writeCsvGzipParts : writeParquetParts;
    const files = await writer({
      input: await source.extractCsv(ref, fx.columns, ctx),
      columns: fx.columns,
      dir: path.join(fx.dir, 'stage', format),
      fileSizeBytes: 64 * 1024,
      signal: ctx.signal,
    });
    return files.map((f) => ({ relPath: `${format}/${f.name}`, localPath: undefined, rows: f.rows }));
  } finally {
    await source.close();
  }
}

export async function makeFixture(): Promise<Fixture> {
  const db = await createTestDatabase('pgdest');
  await db.query(SOURCE_TABLE);
  const conn = pgConnection(db, { application_name: db.name });
  const dir = await mkdtemp(path.join(tmpdir(), 'dxa-pgdest-'));
  const stage = createLocalStage({ type: 'local', path: path.join(dir, 'stage') }, logger);
  const source = createPostgresSource(conn, logger);
  const { columns } = await source
    .describe({ connection: 'pg', table: 'src' }, ctx)
    .finally(() => source.close());
  const base = { db, conn, columns, dir, stage };
  const parts = { csv: await writeParts(base, 'csv'), parquet: await writeParts(base, 'parquet') };
  return {
    ...base,
    parts,
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
      await db.drop();
    },
  };
}

export function request(
  fx: Fixture,
  table: string,
  mode: LoadRequest['mode'],
  format: 'csv' | 'parquet',
  files: LoadFile[] = fx.parts[format],
  jobId = 'job-1',
): LoadRequest {
  return { table, mode, columns: fx.columns, format, files, jobId };
}

/** Rows in one table and not the other, both ways (0 when every value matches the source). */
export async function differences(fx: Fixture, table: string): Promise<number> {
  const src = `SELECT ${textProjection(fx.columns)} FROM src`;
  const dst = `SELECT ${textProjection(fx.columns)} FROM ${table}`;
  const { rows } = await fx.db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ((${src} EXCEPT ALL ${dst}) UNION ALL (${dst} EXCEPT ALL ${src})) AS d`,
  );
  return Number(rows[0]?.n);
}

export async function scratchTables(fx: Fixture): Promise<string[]> {
  const { rows } = await fx.db.query<{ relname: string }>(
    "SELECT relname FROM pg_class WHERE relname LIKE '%\\_\\_dxa\\_%'",
  );
  return rows.map((r) => r.relname);
}

/** Backends of the destination under test (by application_name) that are not idle. */
export async function busyBackends(fx: Fixture): Promise<string[]> {
  const { rows } = await fx.db.query<{ state: string }>(
    "SELECT coalesce(state, '') AS state FROM pg_stat_activity WHERE application_name = $1 AND state <> 'idle'",
    [fx.db.name],
  );
  return rows.map((r) => r.state);
}

export { eventually } from '@dxa/testing';
