import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PG_HOST,
  PG_PORT,
  PG_USER,
  createTestDatabase,
  duckdbTableChecksum,
  pgTableChecksum,
  startAzurite,
  startS3rver,
  type AzuriteFixture,
  type S3rverFixture,
  type TestDatabase,
} from '@dxa/testing';
import { azureStageToml, createOrdersTable, s3StageToml } from './fixtures.js';
import { createStack, type Stack } from './harness.js';

const S3_ENV = { AWS_EC2_METADATA_DISABLED: 'true' };

describe('PostgreSQL → S3 (s3rver) or Azure Blob (azurite) stage → DuckDB, through gateway and worker processes', () => {
  let source: TestDatabase;
  let s3: S3rverFixture;
  let azurite: AzuriteFixture;
  let stack: Stack;

  beforeAll(async () => {
    source = await createTestDatabase('src');
    await createOrdersTable(source, 'public.orders', 12_000);
    s3 = await startS3rver();
    await s3.bucket('dxa-stage');
    azurite = await startAzurite();
    await azurite.createContainer('dxa-stage');
    stack = createStack({
      database: source.name,
      extraToml: `
${s3StageToml('s3', s3, 'dxa-stage', 'migrations/duck')}

${azureStageToml('blob', azurite, 'dxa-stage', 'migrations/duck')}
`,
    });
    await stack.startGateway();
    await stack.startWorker('default', { env: S3_ENV });
  });

  afterAll(async () => {
    await stack?.stop();
    await s3?.stop();
    await azurite?.stop();
    await source?.drop();
  });

  const runs = [
    { stage: 's3', format: 'parquet' },
    { stage: 's3', format: 'csv' },
    { stage: 'blob', format: 'parquet' },
    { stage: 'blob', format: 'csv' },
  ];
  const stageRoot = (stage: string): string =>
    stage === 's3'
      ? 's3://dxa-stage/migrations/duck/'
      : `azure://${azurite.accountName}/dxa-stage/migrations/duck/`;

  for (const run of runs) {
    it(`migrates through the ${run.stage} stage as ${run.format}; every DuckDB value equals the source`, async () => {
      const table = `orders_${run.stage}_${run.format}`;
      const res = await stack.api('POST', '/v1/jobs', {
        type: 'migrate',
        source: { connection: 'pg_main', table: 'public.orders' },
        stage: { connection: run.stage, path: table },
        format: run.format,
        target: { connection: 'warehouse', table, mode: 'replace' },
        options: { file_size_mb: 0.25 },
      });
      expect(res.status).toBe(202);
      const view = await stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled']);
      expect(view.state, JSON.stringify(view.error)).toBe('completed');
      expect(view.attempts).toBe(1);
      // Several parts, all on the remote stage, so the load fetched them one by one.
      const files = view.result?.extract?.files ?? [];
      expect(files.length).toBeGreaterThan(1);
      for (const file of files)
        expect(file.path.startsWith(`${stageRoot(run.stage)}${table}/`), file.path).toBe(true);
      expect(view.result?.load?.rows).toBe(12_000);

      const expected = await pgTableChecksum(
        { host: PG_HOST, port: PG_PORT, user: PG_USER, database: source.name },
        'public.orders',
      );
      const actual = await duckdbTableChecksum(stack.duckdbFile, table, expected.columns);
      expect(actual.rows).toBe(expected.rows);
      expect(actual.sum).toBe(expected.sum);
      // No fetched part stays in the worker's work folder.
      const jobWork = join(stack.dir, 'work', res.body.id!);
      expect(existsSync(jobWork) ? readdirSync(jobWork, { recursive: true }) : []).toEqual([]);
    });
  }
});
