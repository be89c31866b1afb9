import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createS3Stage,
  createSnowflakeDestination,
  type LoadFile,
  type StageConnector,
} from '@dxa/connectors/src/factories.js';
import { ctx, logger } from '@dxa/connectors/src/destinations/snowflake/test-support.js';
import { TerminalError } from '@dxa/errors';
import { pgTableChecksum, startS3rver, type S3rverFixture } from '@dxa/testing';
import type { SnowflakeFake } from '../fakes/snowflake/index.js';
import { makeFixture, SOURCE_ROWS, type PartsFixture } from './fixture.js';
import { fakeTableChecksum, startFake, targetConfig } from './support.js';

let s3: S3rverFixture;
let fake: SnowflakeFake;
let fx: PartsFixture;
let stage: StageConnector;
const files: Record<'csv' | 'parquet', LoadFile[]> = { csv: [], parquet: [] };

type StageOptions = {
  access_key_id?: string;
  secret_access_key?: string;
  storage_integration?: string;
  keys?: boolean;
};
const s3Stage = (extra: StageOptions = {}) =>
  createS3Stage(
    {
      type: 's3',
      bucket_name: 'landing',
      prefix: 'exports/',
      region: 'us-east-1',
      endpoint: s3.endpoint,
      force_path_style: true,
      ...(extra.keys === false
        ? {}
        : {
            access_key_id: extra.access_key_id ?? s3.accessKeyId,
            secret_access_key: extra.secret_access_key ?? s3.secretAccessKey,
          }),
      ...(extra.storage_integration ? { storage_integration: extra.storage_integration } : {}),
    },
    logger,
  );

beforeAll(async () => {
  s3 = await startS3rver();
  await s3.bucket('landing');
  [fake, fx] = await Promise.all([
    startFake({
      s3Endpoint: s3.endpoint,
      storageIntegrations: ['S3_INT'],
      s3Credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    }),
    makeFixture(),
  ]);
  stage = s3Stage();
  for (const format of ['csv', 'parquet'] as const)
    for (const part of fx.parts[format]) {
      const relPath = `job-s3/${part.relPath}`;
      await stage.put(fx.stage.localPath(part.relPath)!, relPath, ctx);
      files[format].push({ relPath, localPath: undefined, rows: part.rows });
    }
});

afterAll(async () => {
  await stage?.close();
  await fake?.close();
  await s3?.stop();
  await fx?.cleanup();
});

describe('Snowflake target reading an S3 stage through a temporary external stage', () => {
  it.each(['parquet', 'csv'] as const)('loads %s parts with the stage keys', async (format) => {
    const dest = createSnowflakeDestination(targetConfig(fake), logger);
    try {
      const before = fake.queries.length;
      const table = `s3_${format}`;
      const { rows } = await dest.load(
        {
          table,
          mode: 'create',
          columns: fx.columns,
          format,
          files: files[format],
          jobId: `job-s3-${format}`,
        },
        stage,
        ctx,
      );
      expect(rows).toBe(SOURCE_ROWS);
      const during = fake.queries.slice(before).map((q) => q.sqlText);
      expect(during.some((q) => q.startsWith('PUT '))).toBe(false);
      const create = during.find((q) => q.startsWith('CREATE TEMPORARY STAGE'));
      expect(create).toContain(`URL = 's3://landing/exports/' CREDENTIALS = (AWS_KEY_ID = 'S3RVER'`);
      expect(during.some((q) => q.includes(`FROM @"DXA_job_s3_${format}"/job-s3/${format}/ FILES`))).toBe(
        true,
      );
      const source = await pgTableChecksum(
        { host: fx.pg.host, port: fx.pg.port, user: fx.pg.username, database: fx.pg.database },
        'src',
      );
      expect(await fakeTableChecksum(fake, `"${table.toUpperCase()}"`, source.columns)).toEqual({
        rows: source.rows,
        sum: source.sum,
      });
    } finally {
      await dest.close();
    }
  });

  it('uses the storage integration instead of keys when one is configured', async () => {
    const withIntegration = s3Stage({ keys: false, storage_integration: 's3_int' });
    const dest = createSnowflakeDestination(targetConfig(fake), logger);
    try {
      const before = fake.queries.length;
      const { rows } = await dest.load(
        {
          table: 's3_int',
          mode: 'create',
          columns: fx.columns,
          format: 'parquet',
          files: files.parquet,
          jobId: 'job-int',
        },
        withIntegration,
        ctx,
      );
      expect(rows).toBe(SOURCE_ROWS);
      const create = fake.queries.slice(before).find((q) => q.sqlText.startsWith('CREATE TEMPORARY STAGE'));
      expect(create?.sqlText).toBe(
        `CREATE TEMPORARY STAGE IF NOT EXISTS "DXA_job_int" URL = 's3://landing/exports/' STORAGE_INTEGRATION = "S3_INT"`,
      );
    } finally {
      await dest.close();
      await withIntegration.close();
    }
  });

  it('fails terminally with wrong keys, without the secret in the message, and leaves no table', async () => {
    // s3rver checks the key id (not the signature's secret).
    const wrong = s3Stage({ access_key_id: 'WRONGKEYID', secret_access_key: 'wrong-secret-value-123' });
    const dest = createSnowflakeDestination(targetConfig(fake), logger);
    try {
      const err = await dest
        .load(
          {
            table: 's3_wrong',
            mode: 'create',
            columns: fx.columns,
            format: 'parquet',
            files: files.parquet,
            jobId: 'job-wrong',
          },
          wrong,
          ctx,
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TerminalError);
      expect((err as TerminalError).code).toBe('STAGE_ERROR');
      expect((err as Error).message).not.toContain('wrong-secret-value-123');
      expect((err as Error).message).toMatch(/account "fake"/);
      expect(await dest.tableExists('s3_wrong', ctx)).toBe(false);
    } finally {
      await dest.close();
      await wrong.close();
    }
  });
});
