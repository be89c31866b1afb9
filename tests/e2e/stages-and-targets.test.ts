import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PG_HOST,
  PG_PORT,
  PG_USER,
  createTestDatabase,
  pgTableChecksum,
  startS3rver,
  type S3rverFixture,
  type TestDatabase,
} from '@dxa/testing';
import { createOrdersTable, s3StageToml } from './fixtures.js';
import { createStack, type Stack } from './harness.js';

const S3_ENV = { AWS_EC2_METADATA_DISABLED: 'true' };

describe('PostgreSQL → local or S3 stage → PostgreSQL target, through gateway and worker processes', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let s3: S3rverFixture;
  let stack: Stack;

  beforeAll(async () => {
    source = await createTestDatabase('src');
    target = await createTestDatabase('dst');
    await createOrdersTable(source, 'public.orders', 12_000);
    s3 = await startS3rver();
    await s3.bucket('dxa-stage');
    stack = createStack({
      database: source.name,
      extraToml: `
${s3StageToml('s3', s3, 'dxa-stage', 'migrations/e2e')}

[connections.target.pg_target]
type = "postgresql"
host = "${PG_HOST}"
port = ${PG_PORT}
database = "${target.name}"
username = "${PG_USER}"
`,
    });
    await stack.startGateway();
    await stack.startWorker('default', { env: S3_ENV });
  });

  afterAll(async () => {
    await stack?.stop();
    await s3?.stop();
    await source?.drop();
    await target?.drop();
  });

  const pairs = [
    { stage: 'local', format: 'csv', table: 'orders_local_csv' },
    { stage: 'local', format: 'parquet', table: 'orders_local_parquet' },
    { stage: 's3', format: 'csv', table: 'orders_s3_csv' },
    { stage: 's3', format: 'parquet', table: 'orders_s3_parquet' },
  ];

  for (const p of pairs) {
    it(`migrates through the ${p.stage} stage as ${p.format} and the target equals the source`, async () => {
      const res = await stack.api('POST', '/v1/jobs', {
        type: 'migrate',
        source: { connection: 'pg_main', table: 'public.orders' },
        stage: { connection: p.stage, path: p.table },
        format: p.format,
        target: { connection: 'pg_target', table: `public.${p.table}`, mode: 'replace' },
        options: { file_size_mb: 0.25 },
      });
      expect(res.status).toBe(202);
      const view = await stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled']);
      expect(view.state, JSON.stringify(view.error)).toBe('completed');
      expect(view.result?.extract?.files.length).toBeGreaterThan(1);
      if (p.stage === 's3')
        expect(view.result?.extract?.files[0]?.path).toMatch(/^s3:\/\/dxa-stage\/migrations\/e2e\//);
      const conn = { host: PG_HOST, port: PG_PORT, user: PG_USER };
      const expected = await pgTableChecksum({ ...conn, database: source.name }, 'public.orders');
      const actual = await pgTableChecksum({ ...conn, database: target.name }, `public.${p.table}`);
      expect(actual.rows).toBe(expected.rows);
      expect(actual.sum).toBe(expected.sum);
    });
  }
});
