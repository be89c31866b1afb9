import type { Connection } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeFake, type SnowflakeFake } from './index.js';
import { connect, destroy, exec, execError, PASSWORD } from './test-support.js';

let fake: SnowflakeFake;
let conn: Connection;

beforeAll(async () => {
  fake = await startSnowflakeFake({ users: { loader: { password: PASSWORD } } });
  conn = await connect(fake);
});

afterAll(async () => {
  await destroy(conn);
  await fake.close();
});

describe('INFORMATION_SCHEMA.COLUMNS', () => {
  it('answers with the types CREATE TABLE named, after a rename too', async () => {
    await exec(
      conn,
      `CREATE TABLE "C0" ("n" NUMBER(12,2) NOT NULL, "i" INT, "f" FLOAT, "v" VARCHAR(40), "s" STRING,
         "b" BINARY, "ok" BOOLEAN, "d" DATE, "t" TIME(9), "ts" TIMESTAMP_NTZ(9), "tz" TIMESTAMP_TZ(9),
         "j" VARIANT)`,
    );
    await exec(conn, 'ALTER TABLE "C0" RENAME TO "C1"');
    const rows = await exec(
      conn,
      `SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH,
         ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA() AND TABLE_NAME = ?
         ORDER BY ORDINAL_POSITION`,
      ['C1'],
    );
    expect(rows.map((r) => Object.values(r))).toEqual([
      ['n', 'NUMBER', 'NO', 12, 2, null, 1],
      ['i', 'NUMBER', 'YES', 38, 0, null, 2],
      ['f', 'FLOAT', 'YES', null, null, null, 3],
      ['v', 'TEXT', 'YES', null, null, 40, 4],
      ['s', 'TEXT', 'YES', null, null, 16777216, 5],
      ['b', 'BINARY', 'YES', null, null, 8388608, 6],
      ['ok', 'BOOLEAN', 'YES', null, null, null, 7],
      ['d', 'DATE', 'YES', null, null, null, 8],
      ['t', 'TIME', 'YES', null, null, null, 9],
      ['ts', 'TIMESTAMP_NTZ', 'YES', null, null, null, 10],
      ['tz', 'TIMESTAMP_TZ', 'YES', null, null, null, 11],
      ['j', 'VARIANT', 'YES', null, null, null, 12],
    ]);
  });

  it('falls back to DuckDB types for tables made on the engine directly', async () => {
    await fake.engine.query('CREATE TABLE "RAW" ("a" DECIMAL(9,3), "b" BIGINT, "c" DOUBLE, "d" VARCHAR)');
    const rows = await exec(
      conn,
      `SELECT DATA_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE FROM INFORMATION_SCHEMA.COLUMNS
         WHERE TABLE_NAME = 'RAW' ORDER BY ORDINAL_POSITION`,
    );
    expect(rows.map((r) => Object.values(r))).toEqual([
      ['NUMBER', 9, 3],
      ['NUMBER', 38, 0],
      ['FLOAT', null, null],
      ['TEXT', null, null],
    ]);
  });
});

describe('Snowflake functions in SELECT', () => {
  it('translate with Snowflake semantics', async () => {
    await fake.engine.query(`CREATE TABLE "BINS" ("B" BLOB); INSERT INTO "BINS" VALUES ('\\x00\\xFF'::BLOB)`);
    const [row] = await exec(
      conn,
      `SELECT TO_VARCHAR(FLOOR(7 / 2)) AS FLOORED, TO_VARCHAR(2.50::NUMBER(5, 2)) AS DEC,
         TO_VARCHAR(OCTET_LENGTH(B)) AS N, TO_VARCHAR(TO_NUMBER('fffffffffffffff', 'XXXXXXXXXXXXXXX')) AS HEX60,
         TO_VARCHAR(TO_NUMBER('00A', 'XXX')) AS HEX_TEXT, LOWER(TO_VARCHAR(B, 'HEX')) AS BIN,
         OCTET_LENGTH('é✓') AS BYTES, LPAD(TO_VARCHAR(5), GREATEST(2, LENGTH(TO_VARCHAR(5))), '0') AS PADDED,
         GREATEST(1, NULL) AS G, LEAST(NULL, 1) AS L, IFF(1 < 2, 'y', 'n') AS IFF_,
         NANOSECOND('2020-01-01 00:00:07.123456'::TIMESTAMP_NTZ) AS NS,
         TO_VARCHAR(CAST(CONVERT_TIMEZONE('UTC', '2020-06-01 12:00:00+05:30'::TIMESTAMP_TZ) AS TIMESTAMP_NTZ)) AS UTC,
         TO_VARCHAR(CAST(2.5::FLOAT AS NUMBER(38, 0))) AS ROUNDED, MD5('a') AS H FROM BINS`,
    );
    expect(row).toEqual({
      FLOORED: '3',
      DEC: '2.50',
      N: '2',
      HEX60: '1152921504606846975',
      HEX_TEXT: '10',
      BIN: '00ff',
      BYTES: 5,
      PADDED: '05',
      G: null,
      L: null,
      IFF_: 'y',
      NS: 123456000,
      UTC: '2020-06-01 06:30:00',
      ROUNDED: '3',
      H: '0cc175b9c0f1b6a831c399e269772661',
    });
  });

  it('refuses formats and arities it does not translate', async () => {
    expect((await execError(conn, `SELECT TO_NUMBER('12', '99')`)).message).toContain(
      'unsupported by the fake',
    );
    expect((await execError(conn, `SELECT TO_VARCHAR(1, 'Y')`)).message).toContain('unsupported by the fake');
    expect((await execError(conn, 'SELECT GREATEST(1, 2, 3)')).message).toContain('unsupported by the fake');
  });
});
