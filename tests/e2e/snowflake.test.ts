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
import type { SnowflakeFake } from '../fakes/snowflake/index.js';
import { fakeTableChecksum, PASSWORD, startFake, USER } from '../snowflake/support.js';
import { azureStageToml, createOrdersTable, s3StageToml } from './fixtures.js';
import { createStack, type Stack } from './harness.js';

const S3_ENV = { AWS_EC2_METADATA_DISABLED: 'true' };

describe('PostgreSQL → local, S3, Azure Blob or Snowflake stage → Snowflake (fake), through gateway and worker processes', () => {
  let source: TestDatabase;
  let s3: S3rverFixture;
  let azurite: AzuriteFixture;
  let fake: SnowflakeFake;
  let stack: Stack;

  beforeAll(async () => {
    source = await createTestDatabase('src');
    await createOrdersTable(source, 'public.orders', 9_000);
    s3 = await startS3rver();
    await s3.bucket('dxa-stage');
    azurite = await startAzurite();
    await azurite.createContainer('dxa-stage');
    // The fake reads azure:// stage URLs from azurite: its base URL, without the account path.
    fake = await startFake({
      s3Endpoint: s3.endpoint,
      azureBlobEndpoint: azurite.blobEndpoint.replace(/\/[^/]+$/, ''),
    });
    stack = createStack({
      database: source.name,
      extraToml: `
${s3StageToml('s3', s3, 'dxa-stage', 'migrations/sf')}

${azureStageToml('azure', azurite, 'dxa-stage', 'migrations/sf')}

[connections.stage.sf_stage]
type = "snowflake_stage"
connection = "sf"
stage = "@~/e2e"

[connections.target.sf]
type = "snowflake"
account = "${fake.account}"
user = "${USER}"
password = "\${E2E_SF_PASSWORD}"
access_url = "${fake.accessUrl}"
warehouse = "WH"
database = "${fake.database}"
schema = "${fake.schema}"

[connections.target.pg_target]
type = "postgresql"
host = "${PG_HOST}"
port = ${PG_PORT}
database = "${source.name}"
username = "${PG_USER}"
`,
    });
    // The password reaches the processes as an environment variable, as secrets normally do.
    await stack.startGateway({ env: { E2E_SF_PASSWORD: PASSWORD } });
    await stack.startWorker('default', { env: { ...S3_ENV, E2E_SF_PASSWORD: PASSWORD } });
  });

  afterAll(async () => {
    await stack?.stop();
    await fake?.close();
    await s3?.stop();
    await azurite?.stop();
    await source?.drop();
  });

  const runs = [
    { stage: 'local', format: 'parquet', table: 'orders_local' },
    { stage: 'local', format: 'csv', table: 'orders_local_csv' },
    { stage: 's3', format: 'parquet', table: 'orders_s3' },
    { stage: 'azure', format: 'parquet', table: 'orders_azure' },
    { stage: 'azure', format: 'csv', table: 'orders_azure_csv' },
    { stage: 'sf_stage', format: 'parquet', table: 'orders_sf_stage' },
  ];

  for (const r of runs) {
    it(`migrates through the ${r.stage} stage as ${r.format}; the Snowflake table equals the source`, async () => {
      const before = fake.queries.length;
      const res = await stack.api('POST', '/v1/jobs', {
        type: 'migrate',
        source: { connection: 'pg_main', table: 'public.orders' },
        stage: { connection: r.stage, path: r.table },
        format: r.format,
        target: { connection: 'sf', table: r.table, mode: 'replace' },
        options: { file_size_mb: 0.1 },
      });
      expect(res.status).toBe(202);
      const id = res.body.id!;
      const view = await stack.waitForState(id, ['completed', 'failed', 'cancelled']);
      expect(view.state, JSON.stringify(view.error)).toBe('completed');
      expect(view.result?.extract?.files.length).toBeGreaterThan(1);

      const expected = await pgTableChecksum(
        { host: PG_HOST, port: PG_PORT, user: PG_USER, database: source.name },
        'public.orders',
      );
      const actual = await fakeTableChecksum(fake, `"${r.table.toUpperCase()}"`, expected.columns);
      expect(actual.rows).toBe(expected.rows);
      expect(actual.sum).toBe(expected.sum);

      const during = fake.queries.slice(before);
      const copies = during.filter((q) => q.sqlText.startsWith('COPY INTO '));
      expect(copies.length).toBeGreaterThan(0);
      expect(copies.every((q) => q.queryTag === `dxa:${id}`)).toBe(true);
      const puts = during.filter((q) => q.sqlText.startsWith('PUT ')).length;
      if (r.stage === 's3' || r.stage === 'azure') {
        expect(puts).toBe(0);
        const url = r.stage === 's3' ? "URL = 's3://" : "URL = 'azure://";
        expect(
          during.some((q) => q.sqlText.startsWith('CREATE TEMPORARY STAGE') && q.sqlText.includes(url)),
        ).toBe(true);
      }
      // Parts go to the Snowflake stage once, at extract time; the load reads them in place.
      if (r.stage === 'sf_stage') expect(copies.every((q) => q.sqlText.includes('FROM @~/e2e/'))).toBe(true);
      if (r.stage === 'local') expect(puts).toBe(view.result?.extract?.files.length);
    });
  }

  it('migrates with validation at the schema, metrics and rows levels: zero differences', async () => {
    const res = await stack.api('POST', '/v1/jobs', {
      type: 'migrate',
      source: { connection: 'pg_main', table: 'public.orders' },
      stage: { connection: 'local', path: 'orders_validated' },
      format: 'parquet',
      target: { connection: 'sf', table: 'orders_validated', mode: 'replace' },
      options: { file_size_mb: 0.1 },
      validation: { levels: ['count', 'schema', 'metrics', 'rows'], key: ['id'] },
    });
    expect(res.status).toBe(202);
    const view = await stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled']);
    expect(view.state, JSON.stringify(view.error)).toBe('completed');
    const validation = view.result?.validation;
    expect(validation?.status, JSON.stringify(validation)).toBe('passed');
    for (const level of ['schema', 'metrics', 'rows'] as const)
      expect(validation?.[level], level).toMatchObject({ status: 'passed', differences: [] });
    expect(validation?.rows).toMatchObject({ source_rows: 9_000, target_rows: 9_000, truncated: false });
    expect(fake.queries.some((q) => q.sqlText.includes('INFORMATION_SCHEMA.COLUMNS'))).toBe(true);
  });

  for (const format of ['parquet', 'csv'] as const) {
    it(`the DuckDB target fetches the Snowflake stage's ${format} parts; every value equals the source`, async () => {
      const table = `orders_sf_stage_duck_${format}`;
      const res = await stack.api('POST', '/v1/jobs', {
        type: 'migrate',
        source: { connection: 'pg_main', table: 'public.orders' },
        stage: { connection: 'sf_stage', path: table },
        format,
        target: { connection: 'warehouse', table, mode: 'replace' },
        options: { file_size_mb: 0.1 },
      });
      expect(res.status).toBe(202);
      const view = await stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled']);
      expect(view.state, JSON.stringify(view.error)).toBe('completed');
      expect(view.result?.extract?.files.length).toBeGreaterThan(1);
      const expected = await pgTableChecksum(
        { host: PG_HOST, port: PG_PORT, user: PG_USER, database: source.name },
        'public.orders',
      );
      const actual = await duckdbTableChecksum(stack.duckdbFile, table, expected.columns);
      expect(actual.rows).toBe(expected.rows);
      expect(actual.sum).toBe(expected.sum);
    });
  }

  it('refuses at submit a target that cannot read the stage, naming both connections', async () => {
    const res = await stack.api('POST', '/v1/jobs', {
      type: 'migrate',
      source: { connection: 'pg_main', table: 'public.orders' },
      stage: { connection: 'sf_stage', path: 'to_pg' },
      target: { connection: 'pg_target', table: 'public.orders_from_sf_stage', mode: 'replace' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toBe('UNSUPPORTED');
    expect(res.body.error?.message).toContain(
      'stage "sf_stage" (snowflake_stage) and target "pg_target" (postgresql) cannot work together',
    );
    expect(res.body.error?.message).toContain('cannot load from a snowflake_stage stage');
    expect(res.body.id).toBeUndefined();
  });
});
