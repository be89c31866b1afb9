import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeFake, type SnowflakeFake } from './index.js';
import {
  connect,
  destroy,
  exec,
  execError,
  keyPair,
  PASSWORD,
  scratchDir,
  type Scratch,
} from './test-support.js';

let fake: SnowflakeFake;
let scratch: Scratch;
let privateKeyPath: string;

beforeAll(async () => {
  scratch = await scratchDir();
  const keys = await keyPair(scratch.dir);
  privateKeyPath = keys.privateKeyPath;
  fake = await startSnowflakeFake({
    users: {
      loader: { password: PASSWORD },
      robot: { publicKeyPem: keys.publicKeyPem },
      app: { oauthToken: 'oauth-token-1' },
    },
  });
});

afterAll(async () => {
  await fake.close();
  await scratch.cleanup();
});

describe('login', () => {
  it('accepts the right password and answers the checks', async () => {
    const conn = await connect(fake);
    try {
      expect(await exec(conn, 'SELECT 1')).toEqual([{ '1': 1 }]);
      expect(await exec(conn, 'SELECT CURRENT_VERSION()')).toEqual([{ 'CURRENT_VERSION()': '9.0.0' }]);
      expect(await exec(conn, 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()')).toEqual([
        { 'CURRENT_DATABASE()': 'DXA_DB', 'CURRENT_SCHEMA()': 'PUBLIC' },
      ]);
    } finally {
      await destroy(conn);
    }
  });

  it('rejects a wrong password with 390100', async () => {
    await expect(connect(fake, { password: 'wrong' })).rejects.toMatchObject({
      code: '390100',
      message: 'Incorrect username or password was specified.',
    });
  });

  it('accepts a key-pair JWT signed with the registered key, and refuses another user', async () => {
    const conn = await connect(fake, {
      username: 'robot',
      authenticator: 'SNOWFLAKE_JWT',
      privateKeyPath,
      password: undefined,
    });
    expect(await exec(conn, 'SELECT 2 AS "TWO"')).toEqual([{ TWO: 2 }]);
    await destroy(conn);
    await expect(
      connect(fake, {
        username: 'loader',
        authenticator: 'SNOWFLAKE_JWT',
        privateKeyPath,
        password: undefined,
      }),
    ).rejects.toMatchObject({ code: '390100' });
  });

  it('accepts a registered OAuth token only', async () => {
    const conn = await connect(fake, {
      username: 'app',
      authenticator: 'OAUTH',
      token: 'oauth-token-1',
      password: undefined,
    });
    expect(await exec(conn, 'SELECT 3 AS "X"')).toEqual([{ X: 3 }]);
    await destroy(conn);
    await expect(
      connect(fake, { username: 'app', authenticator: 'OAUTH', token: 'other', password: undefined }),
    ).rejects.toMatchObject({ code: '390100' });
  });
});

describe('statements', () => {
  it('records the query tag and refuses statements outside the contract', async () => {
    const conn = await connect(fake);
    try {
      await exec(conn, "ALTER SESSION SET QUERY_TAG = 'job-42'");
      await exec(conn, 'SELECT 7 AS "N"');
      expect(fake.queries.find((q) => q.sqlText === 'SELECT 7 AS "N"')?.queryTag).toBe('job-42');
      const err = await execError(conn, 'INSERT INTO "T" VALUES (1)');
      expect(err).toMatchObject({ code: '001003', sqlState: '42000' });
      expect(err.message).toMatch(/unsupported by the fake/);
    } finally {
      await destroy(conn);
    }
  });

  it('answers INFORMATION_SCHEMA.TABLES with binds, and SWAP WITH exchanges two tables', async () => {
    const conn = await connect(fake);
    try {
      await exec(conn, 'CREATE TABLE "PUBLIC"."SW_A" ("v" VARCHAR)');
      await exec(conn, 'CREATE TABLE IF NOT EXISTS "DXA_DB"."PUBLIC"."SW_B" ("w" NUMBER(38,0))');
      const lookup =
        'SELECT COUNT(*) FROM "DXA_DB".INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?';
      expect(await exec(conn, lookup, ['PUBLIC', 'SW_A'])).toEqual([{ 'COUNT(*)': 1 }]);
      expect(await exec(conn, lookup, ['PUBLIC', 'NOPE'])).toEqual([{ 'COUNT(*)': 0 }]);
      await exec(conn, 'ALTER TABLE "DXA_DB"."PUBLIC"."SW_A" SWAP WITH "DXA_DB"."PUBLIC"."SW_B"');
      const columns = await fake.engine.query(
        `SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN ('SW_A', 'SW_B') ORDER BY 1`,
      );
      expect(columns).toEqual([
        { table_name: 'SW_A', column_name: 'w' },
        { table_name: 'SW_B', column_name: 'v' },
      ]);
      await exec(conn, 'ALTER TABLE "SW_A" RENAME TO "SW_C"');
      expect(await exec(conn, lookup, ['PUBLIC', 'SW_C'])).toEqual([{ 'COUNT(*)': 1 }]);
      const missing = await execError(conn, 'SELECT COUNT(*) FROM "PUBLIC"."SW_A"');
      expect(missing).toMatchObject({ code: '002003' });
    } finally {
      await destroy(conn);
    }
  });

  it('runs DDL as Snowflake does: implicit commit, IF [NOT] EXISTS, VARCHAR length enforced', async () => {
    const conn = await connect(fake);
    try {
      await exec(conn, 'CREATE TABLE "DDL_T" ("s" VARCHAR(3) NOT NULL)');
      expect(await exec(conn, 'CREATE TABLE IF NOT EXISTS "DDL_T" ("x" BOOLEAN)')).toEqual([
        { status: 'DDL_T already exists, statement succeeded.' },
      ]);
      await exec(conn, 'BEGIN');
      await fake.engine.query(`INSERT INTO "DDL_T" VALUES ('abc')`);
      await exec(conn, 'TRUNCATE TABLE "DDL_T"');
      // CREATE commits the open transaction first, so the ROLLBACK has nothing left to undo.
      await exec(conn, 'CREATE TABLE "DDL_U" ("n" NUMBER(10,2))');
      await exec(conn, 'ROLLBACK');
      expect(await exec(conn, 'SELECT COUNT(*) FROM "DDL_T"')).toEqual([{ 'COUNT(*)': 0 }]);
      const lookup =
        'SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?';
      expect(await exec(conn, lookup, ['PUBLIC', 'DDL_U'])).toEqual([{ 'COUNT(*)': 1 }]);
      await exec(conn, 'DROP TABLE IF EXISTS "DXA_DB"."PUBLIC"."DDL_U"');
      await exec(conn, 'DROP TABLE IF EXISTS "DXA_DB"."PUBLIC"."DDL_U"');
      expect(await exec(conn, lookup, ['PUBLIC', 'DDL_U'])).toEqual([{ 'COUNT(*)': 0 }]);
      await expect(fake.engine.query(`INSERT INTO "DDL_T" VALUES ('abcd')`)).rejects.toThrow(
        /CHECK constraint/,
      );
      const unknownType = await execError(conn, 'CREATE TABLE "DDL_V" ("g" GEOGRAPHY)');
      expect(unknownType.message).toMatch(/column type GEOGRAPHY is unsupported by the fake/);
    } finally {
      await destroy(conn);
    }
  });
});
