import path from 'node:path';
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

const COPY = `COPY INTO "R_T" FROM @~/r/ FILES = ('r.parquet')
  FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE BINARY_AS_TEXT = FALSE)
  MATCH_BY_COLUMN_NAME = CASE_SENSITIVE ON_ERROR = ABORT_STATEMENT FORCE = TRUE`;

beforeAll(async () => {
  scratch = await scratchDir();
  fake = await startSnowflakeFake({ users: { loader: { password: PASSWORD } } });
  conn = await connect(fake);
  const file = path.join(scratch.dir, 'r.parquet');
  await writeWithDuckdb(file, 'SELECT range AS "N" FROM range(4)', 'parquet');
  await exec(conn, 'CREATE TABLE "R_T" ("N" NUMBER(38,0))');
  await exec(conn, `PUT 'file://${file}' @~/r/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE`);
});

afterAll(async () => {
  await destroy(conn);
  await fake.close();
  await scratch.cleanup();
});

const count = async () => (await exec(conn, 'SELECT COUNT(*) AS "C" FROM "R_T"'))[0]?.C;

describe('stop and restart', () => {
  it('comes back on the same port with tables and sessions; a statement sent meanwhile is retried', async () => {
    await exec(conn, COPY);
    const { port, accessUrl } = fake;
    await fake.stop();
    const pending = count(); // refused while stopped; the SDK retries with backoff
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fake.restart();
    expect(await pending).toBe(4);
    expect([fake.port, fake.accessUrl]).toEqual([port, accessUrl]);
    const second = await connect(fake);
    expect(await exec(second, 'SELECT COUNT(*) AS "C" FROM "R_T"')).toEqual([{ C: 4 }]);
    await destroy(second);
  });
});

describe('failNext', () => {
  it('answers the next matching statement with the given Snowflake error, once', async () => {
    fake.failNext(/^TRUNCATE/, {
      code: '000625',
      message: 'Statement reached its lock timeout',
      sqlState: '57014',
    });
    const err = await execError(conn, 'TRUNCATE TABLE "R_T"');
    expect(err).toMatchObject({
      code: '000625',
      sqlState: '57014',
      message: 'Statement reached its lock timeout',
    });
    expect(await count()).toBe(4);
    await exec(conn, 'TRUNCATE TABLE "R_T"');
    expect(await count()).toBe(0);
  });

  it('drops the connection before running: the SDK retries and the statement runs once', async () => {
    const before = fake.queries.length;
    fake.failNext(/^COPY/, 'drop');
    expect(await exec(conn, COPY)).toEqual([expect.objectContaining({ status: 'LOADED', rows_loaded: 4 })]);
    const copies = fake.queries.slice(before).filter((q) => q.sqlText.startsWith('COPY'));
    expect(copies.map((q) => q.injected)).toEqual(['drop', undefined]);
    expect(copies[0]!.requestId).toBe(copies[1]!.requestId);
    expect(await count()).toBe(4);
  });

  it('drops the connection after running: the retry gets the first answer, rows are loaded once', async () => {
    fake.failNext(/^COPY/, 'drop-after');
    expect(await exec(conn, COPY)).toEqual([expect.objectContaining({ status: 'LOADED', rows_loaded: 4 })]);
    expect(await count()).toBe(8);
  });

  it('answers with an HTTP status the SDK retries', async () => {
    fake.failNext(/COUNT/, { httpStatus: 503 }, 2);
    expect(await count()).toBe(8);
    expect(fake.queries.at(-1)?.sqlText).toContain('COUNT');
  });
});
