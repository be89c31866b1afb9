// Opt-in: the Snowflake connector against a real account. Set SNOWFLAKE_TEST_ACCOUNT, SNOWFLAKE_TEST_USER,
// SNOWFLAKE_TEST_PASSWORD or SNOWFLAKE_TEST_PRIVATE_KEY_PATH (+ _PRIVATE_KEY_PASSPHRASE), SNOWFLAKE_TEST_WAREHOUSE,
// SNOWFLAKE_TEST_DATABASE, SNOWFLAKE_TEST_SCHEMA (and optionally SNOWFLAKE_TEST_ROLE). Reported as skipped otherwise.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSnowflakeDestination,
  createSnowflakeStage,
  type DestinationConnector,
  type LoadRequest,
} from '@dxa/connectors/src/factories.js';
import { ctx, logger } from '@dxa/connectors/src/destinations/snowflake/test-support.js';
import { resolveConnection, type SnowflakeTargetConfig } from '@dxa/connectors/src/snowflake/options.js';
import { openSession, type SnowflakeSession } from '@dxa/connectors/src/snowflake/session.js';
import { makeFixture, SOURCE_ROWS, type PartsFixture } from '../snowflake/fixture.js';

const env = process.env;

function liveTarget(): SnowflakeTargetConfig {
  const optional = (key: string) => (env[key] ? env[key] : undefined);
  return {
    type: 'snowflake',
    account: env.SNOWFLAKE_TEST_ACCOUNT,
    user: env.SNOWFLAKE_TEST_USER,
    password: optional('SNOWFLAKE_TEST_PASSWORD'),
    private_key_path: optional('SNOWFLAKE_TEST_PRIVATE_KEY_PATH'),
    private_key_passphrase: optional('SNOWFLAKE_TEST_PRIVATE_KEY_PASSPHRASE'),
    warehouse: env.SNOWFLAKE_TEST_WAREHOUSE,
    database: env.SNOWFLAKE_TEST_DATABASE,
    schema: env.SNOWFLAKE_TEST_SCHEMA,
    role: optional('SNOWFLAKE_TEST_ROLE'),
  };
}

describe.skipIf(!env.SNOWFLAKE_TEST_ACCOUNT)('Snowflake target and stage against a real account', () => {
  const run = `DXA_LIVE_${randomBytes(4).toString('hex').toUpperCase()}`;
  let fx: PartsFixture;
  let dest: DestinationConnector;
  let session: SnowflakeSession;
  const tables: string[] = [];

  const request = (table: string, mode: LoadRequest['mode'], format: 'csv' | 'parquet'): LoadRequest => {
    tables.push(table);
    return {
      table,
      mode,
      columns: fx.columns,
      format,
      files: fx.parts[format],
      jobId: `${run}-${table}-${mode}`,
    };
  };
  const query = (sql: string) => session.execute(sql, ctx, { what: 'live test query' });

  beforeAll(async () => {
    fx = await makeFixture();
    dest = createSnowflakeDestination(liveTarget(), logger);
    session = await openSession(resolveConnection(liveTarget(), { env }), logger, ctx);
  });

  afterAll(async () => {
    for (const t of new Set(tables))
      await query(`DROP TABLE IF EXISTS "${t.toUpperCase()}"`).catch(() => undefined);
    await session?.close();
    await dest?.close();
    await fx?.cleanup();
  });

  it.each(['parquet', 'csv'] as const)(
    'create, append, truncate and replace from %s parts (PUT to the user stage)',
    async (format) => {
      const table = `${run}_${format}`;
      expect((await dest.load(request(table, 'create', format), fx.stage, ctx)).rows).toBe(SOURCE_ROWS);
      expect((await dest.load(request(table, 'append', format), fx.stage, ctx)).rows).toBe(SOURCE_ROWS);
      expect(await dest.count(table, ctx)).toBe(2 * SOURCE_ROWS);
      expect((await dest.load(request(table, 'truncate', format), fx.stage, ctx)).rows).toBe(SOURCE_ROWS);
      expect((await dest.load(request(table, 'replace', format), fx.stage, ctx)).rows).toBe(SOURCE_ROWS);
      expect(await dest.count(table, ctx)).toBe(SOURCE_ROWS);
    },
  );

  it('keeps timestamps, decimals, text and NULLs exact (USE_LOGICAL_TYPE)', async () => {
    const table = `${run}_PARQUET`;
    const rows = await query(
      `SELECT TO_VARCHAR("ts", 'YYYY-MM-DD HH24:MI:SS.FF6') AS TS, TO_VARCHAR(CONVERT_TIMEZONE('UTC', "tstz"), 'YYYY-MM-DD HH24:MI:SS.FF6') AS TSTZ,
              TO_VARCHAR("n") AS N, "t" AS T, "MixedCase" AS M, "i2" AS I2 FROM "${table}" WHERE "id" IN (-1, -2) ORDER BY "id" DESC`,
    );
    expect(rows[0]).toMatchObject({
      TS: '2020-01-01 12:34:56.123456',
      TSTZ: '2020-06-01 06:30:00.000000',
      N: '1234567890.12',
      T: 'a "quoted", comma\nnewline\r\n',
      M: 'ünïcödé ✓',
      I2: -32768,
    });
    expect(rows[1]).toMatchObject({ TS: null, N: null, T: '', M: null });
  });

  it('snowflake_stage: round trip and a load read in place', async () => {
    const stage = createSnowflakeStage(
      { type: 'snowflake_stage', connection: 'live', stage: `@~/${run}` },
      liveTarget(),
      logger,
    );
    try {
      const files = [];
      for (const part of fx.parts.parquet) {
        const relPath = `parts/${part.relPath.split('/').pop()!}`;
        await stage.put(fx.stage.localPath(part.relPath)!, relPath, ctx);
        files.push({ relPath, localPath: undefined, rows: part.rows });
      }
      await stage.putText('parts/_manifest.json', '{"live": true}', ctx);
      expect(await stage.getText('parts/_manifest.json', ctx)).toBe('{"live": true}');
      expect((await stage.list('parts/', ctx)).length).toBe(files.length + 1);
      const table = `${run}_STAGED`;
      tables.push(table);
      const { rows } = await dest.load(
        { table, mode: 'replace', columns: fx.columns, format: 'parquet', files, jobId: `${run}-staged` },
        stage,
        ctx,
      );
      expect(rows).toBe(SOURCE_ROWS);
    } finally {
      await stage.remove('', ctx).catch(() => undefined);
      await stage.close();
    }
  });
});
