import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PG_HOST,
  PG_PORT,
  PG_USER,
  createTestDatabase,
  pgTableChecksum,
  startAzurite,
  type AzuriteFixture,
  type DxaProcess,
  type TestDatabase,
} from '@dxa/testing';
import { createOrdersTable } from './fixtures.js';
import { createStack, type Stack } from './harness.js';

const CONTAINER = 'dxa-stage';
const PREFIX = 'migrations/e2e';

describe('PostgreSQL → Azure Blob stage (azurite) → PostgreSQL target, through gateway and worker processes', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let azurite: AzuriteFixture;
  let stack: Stack;
  let gateway: DxaProcess;
  let worker: DxaProcess;

  beforeAll(async () => {
    source = await createTestDatabase('src');
    target = await createTestDatabase('dst');
    await createOrdersTable(source, 'public.orders', 12_000);
    azurite = await startAzurite();
    await azurite.createContainer(CONTAINER);
    stack = createStack({
      database: source.name,
      extraToml: `
[connections.stage.blob]
type = "azure_blob"
container_name = "${CONTAINER}"
prefix = "${PREFIX}"
connection_string = "${azurite.connectionString}"

[connections.stage.blob_key]
type = "azure_blob"
container_name = "${CONTAINER}"
prefix = "${PREFIX}/by-key"
account_name = "${azurite.accountName}"
account_key = "${azurite.accountKey}"
endpoint = "${azurite.blobEndpoint}"

[connections.target.pg_target]
type = "postgresql"
host = "${PG_HOST}"
port = ${PG_PORT}
database = "${target.name}"
username = "${PG_USER}"
`,
    });
    gateway = await stack.startGateway();
    // Debug level, so the secret check below also covers the stage's per-file log lines.
    ({ proc: worker } = await stack.startWorker('default', { env: { LOG_LEVEL: 'debug' } }));
  });

  afterAll(async () => {
    await stack?.stop();
    await azurite?.stop();
    await source?.drop();
    await target?.drop();
  });

  const runs = [
    { stage: 'blob', format: 'csv', table: 'orders_blob_csv', root: PREFIX },
    { stage: 'blob', format: 'parquet', table: 'orders_blob_parquet', root: PREFIX },
    { stage: 'blob_key', format: 'parquet', table: 'orders_blob_key_parquet', root: `${PREFIX}/by-key` },
  ];

  for (const run of runs) {
    it(`migrates through the ${run.stage} stage as ${run.format} and the target equals the source`, async () => {
      const res = await stack.api('POST', '/v1/jobs', {
        type: 'migrate',
        source: { connection: 'pg_main', table: 'public.orders' },
        stage: { connection: run.stage, path: run.table },
        format: run.format,
        target: { connection: 'pg_target', table: `public.${run.table}`, mode: 'replace' },
        options: { file_size_mb: 0.25 },
      });
      expect(res.status).toBe(202);
      const view = await stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled']);
      expect(view.state, JSON.stringify(view.error)).toBe('completed');
      const files = view.result?.extract?.files ?? [];
      expect(files.length).toBeGreaterThan(1);
      for (const file of files) {
        expect(
          file.path.startsWith(`azure://${azurite.accountName}/${CONTAINER}/${run.root}/${run.table}/`),
        ).toBe(true);
      }
      // The parts really are in the container, under the configured prefix.
      const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
        CONTAINER,
      );
      const names: string[] = [];
      for await (const b of container.listBlobsFlat({ prefix: `${run.root}/${run.table}/` }))
        names.push(b.name);
      for (const file of files)
        expect(names).toContain(file.path.replace(`azure://${azurite.accountName}/${CONTAINER}/`, ''));

      const conn = { host: PG_HOST, port: PG_PORT, user: PG_USER };
      const expected = await pgTableChecksum({ ...conn, database: source.name }, 'public.orders');
      const actual = await pgTableChecksum({ ...conn, database: target.name }, `public.${run.table}`);
      expect(actual.rows).toBe(expected.rows);
      expect(actual.sum).toBe(expected.sum);

      const shown = JSON.stringify(view);
      expect(shown).not.toContain(azurite.accountKey);
      expect(shown).not.toContain(azurite.connectionString);
    });
  }

  it('keeps the account key and connection string out of the job views and the process logs', async () => {
    const jobs = await stack.api('GET', '/v1/jobs');
    expect(jobs.status).toBe(200);
    // The worker did log its work, so the absence below means something.
    expect(worker.output()).toMatch(/staged file/);
    for (const text of [JSON.stringify(jobs.body), worker.output(), gateway.output()]) {
      expect(text).not.toContain(azurite.accountKey);
      expect(text).not.toContain(azurite.connectionString);
      expect(text).not.toContain(encodeURIComponent(azurite.accountKey));
    }
  });
});
