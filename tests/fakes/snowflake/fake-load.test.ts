import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Connection } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeFake, type SnowflakeFake } from './index.js';
import {
  connect,
  destroy,
  exec,
  execError,
  PASSWORD,
  scratchDir,
  writeWithDuckdb,
  type Scratch,
} from './test-support.js';

let fake: SnowflakeFake;
let scratch: Scratch;
let conn: Connection;

beforeAll(async () => {
  scratch = await scratchDir();
  fake = await startSnowflakeFake({ users: { loader: { password: PASSWORD } } });
  conn = await connect(fake);
});

afterAll(async () => {
  await destroy(conn);
  await fake.close();
  await scratch.cleanup();
});

const ALL_TYPES = `CREATE TABLE "DXA_DB"."PUBLIC"."ORDERS" (
  "id" NUMBER(38,0) NOT NULL, "amount" NUMBER(12,2), "ratio" FLOAT, "ok" BOOLEAN, "name" VARCHAR, "code" VARCHAR(8),
  "data" BINARY, "day" DATE, "at" TIME(9), "ts" TIMESTAMP_NTZ(9), "tz" TIMESTAMP_TZ(9), "doc" VARIANT)`;

const PARQUET_SELECT = `SELECT 1::BIGINT AS id, 12.50::DECIMAL(12,2) AS amount, 0.25::DOUBLE AS ratio, true AS ok,
  'héllo' AS name, 'AB' AS code, from_hex('00FF10') AS data, DATE '2024-02-29' AS day, TIME '12:34:56.789' AS at,
  TIMESTAMP '2020-01-02 03:04:05.123456' AS ts, TIMESTAMPTZ '2020-06-01 06:30:00+00' AS tz, '{"a":[1,2]}' AS doc
  UNION ALL SELECT 2, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL`;

/** The SDK decorates BINARY buffers with extra methods; compare their bytes. */
function hex(value: unknown): string | null {
  return value === null ? null : Buffer.from(value as Buffer).toString('hex');
}

async function put(file: string, stage: string): Promise<void> {
  const rows = await exec(
    conn,
    `PUT 'file://${file}' ${stage} AUTO_COMPRESS = FALSE OVERWRITE = TRUE PARALLEL = 4`,
  );
  expect(rows).toEqual([expect.objectContaining({ source: path.basename(file), status: 'UPLOADED' })]);
}

const PARQUET_FORMAT = `FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE BINARY_AS_TEXT = FALSE)
      MATCH_BY_COLUMN_NAME = CASE_SENSITIVE ON_ERROR = ABORT_STATEMENT`;
const CSV_FORMAT = `FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '"'
      EMPTY_FIELD_AS_NULL = TRUE NULL_IF = () ESCAPE_UNENCLOSED_FIELD = NONE) ON_ERROR = ABORT_STATEMENT`;

describe('PUT + COPY INTO', () => {
  it('round-trips every contract type through a Parquet file on the table stage', async () => {
    await exec(conn, ALL_TYPES);
    const file = path.join(scratch.dir, 'part-0001.parquet');
    await writeWithDuckdb(file, PARQUET_SELECT, 'parquet');
    await put(file, '@%"ORDERS"/run1/');
    const copied = await exec(
      conn,
      `COPY INTO "DXA_DB"."PUBLIC"."ORDERS" FROM @%"ORDERS"/run1/ FILES = ('part-0001.parquet') ${PARQUET_FORMAT}`,
    );
    expect(copied).toEqual([
      expect.objectContaining({
        file: 'run1/part-0001.parquet',
        status: 'LOADED',
        rows_parsed: 2,
        rows_loaded: 2,
      }),
    ]);
    const [first, second] = await exec(conn, 'SELECT * FROM "DXA_DB"."PUBLIC"."ORDERS" ORDER BY "id"');
    expect(first).toMatchObject({ id: 1, amount: 12.5, ratio: 0.25, ok: true, name: 'héllo', code: 'AB' });
    expect(hex(first!.data)).toBe('00ff10');
    expect((first!.day as Date).getTime()).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect((first!.ts as Date).getTime()).toBe(Date.parse('2020-01-02T03:04:05.123Z'));
    expect((first!.tz as Date).getTime()).toBe(Date.parse('2020-06-01T06:30:00Z'));
    expect(first!.doc).toEqual({ a: [1, 2] });
    expect(String(first!.at)).toMatch(/^12:34:56/);
    expect(second).toMatchObject({
      id: 2,
      amount: null,
      ok: null,
      name: '',
      data: null,
      ts: null,
      doc: null,
    });
  });

  it('loads gzip CSV positionally: unquoted empty is NULL, "" is the empty string', async () => {
    await exec(
      conn,
      'CREATE TABLE "CSV_T" ("id" NUMBER(38,0), "name" VARCHAR, "flag" BOOLEAN, "data" BINARY, "ts" TIMESTAMP_NTZ(9))',
    );
    const csv = 'id,name,flag,data,ts\n1,,t,00ff,2020-01-01 00:00:00.5\n2,"",f,,\n3,"a ""q"", b",T,,\n';
    const file = path.join(scratch.dir, 'part-0001.csv.gz');
    await writeFile(file, gzipSync(csv));
    await put(file, '@~/csv/');
    const copied = await exec(
      conn,
      `COPY INTO "CSV_T" FROM @~/csv/ FILES = ('part-0001.csv.gz') ${CSV_FORMAT}`,
    );
    expect(copied).toEqual([expect.objectContaining({ file: 'csv/part-0001.csv.gz', rows_loaded: 3 })]);
    const rows = await exec(conn, 'SELECT "id", "name", "flag", "data" FROM "CSV_T" ORDER BY "id"');
    expect(rows.map((r) => ({ ...r, data: hex(r.data) }))).toEqual([
      { id: 1, name: null, flag: true, data: '00ff' },
      { id: 2, name: '', flag: false, data: null },
      { id: 3, name: 'a "q", b', flag: true, data: null },
    ]);
  });

  it('refuses binary written as \\x-prefixed hex in CSV (Snowflake BINARY_FORMAT = HEX)', async () => {
    await exec(conn, 'CREATE TABLE "CSV_BIN" ("data" BINARY)');
    const file = path.join(scratch.dir, 'bin.csv.gz');
    await writeFile(file, gzipSync('data\n\\x00ff\n'));
    await put(file, '@~/bin/');
    const err = await execError(
      conn,
      `COPY INTO "CSV_BIN" FROM @~/bin/ FILES = ('bin.csv.gz') ${CSV_FORMAT}`,
    );
    expect(err.message).toContain('not a legal hex-encoded value');
    expect(await fake.engine.query('SELECT count(*) AS n FROM "CSV_BIN"')).toEqual([{ n: '0' }]);
  });
});

describe('load history and transactions', () => {
  const copy = `COPY INTO "HIST" FROM @"LANDING"/h/ FILES = ('a.parquet', 'b.parquet') ${PARQUET_FORMAT}`;

  it('skips files already loaded, reloads with FORCE and after TRUNCATE, fails on a missing file', async () => {
    await exec(conn, 'CREATE STAGE IF NOT EXISTS "LANDING"');
    await exec(conn, 'CREATE TABLE "HIST" ("n" NUMBER(38,0))');
    for (const name of ['a', 'b'])
      await writeWithDuckdb(
        path.join(scratch.dir, `${name}.parquet`),
        'SELECT range AS n FROM range(3)',
        'parquet',
      );
    await put(path.join(scratch.dir, 'a.parquet'), '@"LANDING"/h/');
    await put(path.join(scratch.dir, 'b.parquet'), '@"LANDING"/h/');
    expect((await exec(conn, copy)).map((r) => r.file)).toEqual([
      'landing/h/a.parquet',
      'landing/h/b.parquet',
    ]);
    expect(await exec(conn, copy)).toEqual([{ status: 'Copy executed with 0 files processed.' }]);
    expect(await exec(conn, copy.replace('ON_ERROR', 'FORCE = TRUE ON_ERROR'))).toHaveLength(2);
    expect(await exec(conn, 'SELECT COUNT(*) FROM "HIST"')).toEqual([{ 'COUNT(*)': 12 }]);
    await exec(conn, 'TRUNCATE TABLE "HIST"');
    expect(await exec(conn, copy)).toHaveLength(2);
    const listed = await exec(conn, 'LIST @"LANDING"/h/');
    expect(listed.map((r) => r.name)).toEqual(['landing/h/a.parquet', 'landing/h/b.parquet']);
    const missing = await execError(conn, copy.replace("'b.parquet'", "'zzz.parquet'"));
    expect(missing.message).toContain("Remote file 'landing/h/zzz.parquet' was not found");
  });

  it('loads a re-staged file again when its content changed; OVERWRITE = FALSE keeps the staged one', async () => {
    const file = path.join(scratch.dir, 'a.parquet');
    await writeWithDuckdb(file, 'SELECT range AS n FROM range(10, 12)', 'parquet');
    await exec(conn, `PUT 'file://${file}' @"LANDING"/h/ AUTO_COMPRESS = FALSE OVERWRITE = FALSE`);
    expect(await exec(conn, copy)).toEqual([{ status: 'Copy executed with 0 files processed.' }]);
    await put(file, '@"LANDING"/h/');
    expect(await exec(conn, copy)).toEqual([
      expect.objectContaining({ file: 'landing/h/a.parquet', rows_loaded: 2 }),
    ]);
  });

  it('ROLLBACK undoes a COPY and its load history; COMMIT keeps both', async () => {
    await exec(conn, 'TRUNCATE TABLE "HIST"');
    await exec(conn, 'BEGIN');
    expect(await exec(conn, copy)).toHaveLength(2);
    await exec(conn, 'ROLLBACK');
    expect(await exec(conn, 'SELECT COUNT(*) FROM "HIST"')).toEqual([{ 'COUNT(*)': 0 }]);
    await exec(conn, 'BEGIN');
    expect(await exec(conn, copy)).toHaveLength(2);
    await exec(conn, 'COMMIT');
    expect(await exec(conn, copy)).toEqual([{ status: 'Copy executed with 0 files processed.' }]);
    expect(await exec(conn, 'SELECT COUNT(*) FROM "HIST"')).toEqual([{ 'COUNT(*)': 5 }]);
  });

  it('a statement that fails inside BEGIN makes COMMIT fail loudly (DuckDB aborts the transaction)', async () => {
    await exec(conn, 'CREATE TABLE "TX_BOOL" ("b" BOOLEAN)');
    const file = path.join(scratch.dir, 'bool.csv.gz');
    await writeFile(file, gzipSync('b\nmaybe\n'));
    await put(file, '@~/tx/');
    await exec(conn, 'BEGIN');
    const bad = await execError(
      conn,
      `COPY INTO "TX_BOOL" FROM @~/tx/ FILES = ('bool.csv.gz') ${CSV_FORMAT}`,
    );
    expect(bad.message).toContain("Boolean value 'maybe' is not recognized");
    const commit = await execError(conn, 'COMMIT');
    expect(commit.message).toMatch(/rolled this transaction back/);
    expect(await exec(conn, 'SELECT COUNT(*) FROM "TX_BOOL"')).toEqual([{ 'COUNT(*)': 0 }]);
  });

  it('GETs and REMOVEs staged files', async () => {
    const out = path.join(scratch.dir, 'got');
    await mkdir(out); // the SDK requires GET's local folder to exist
    const got = await exec(conn, `GET @"LANDING"/h/a 'file://${out}/'`);
    expect(got).toEqual([expect.objectContaining({ file: 'h/a.parquet', status: 'DOWNLOADED' })]);
    const removed = await exec(conn, 'REMOVE @"LANDING"/h/');
    expect(removed).toEqual([
      { name: 'landing/h/a.parquet', result: 'removed' },
      { name: 'landing/h/b.parquet', result: 'removed' },
    ]);
    expect(await exec(conn, 'LIST @"LANDING"/h/')).toEqual([]);
  });

  it('streams a large inline result', async () => {
    const rows = await exec(conn, 'SELECT RANGE AS "N" FROM RANGE(100000)');
    expect(rows).toHaveLength(100000);
    expect(rows[99999]).toEqual({ N: 99999 });
  });
});
