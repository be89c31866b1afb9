import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '@dxa/contracts';
import {
  PG_HOST,
  PG_PORT,
  PG_USER,
  createTestDatabase,
  eventually,
  pgTableChecksum,
  startTcpProxy,
  type DxaProcess,
  type TableChecksum,
  type TcpProxy,
  type TestDatabase,
} from '@dxa/testing';
import { createOrdersTable } from './fixtures.js';
import { createStack, type Stack } from './harness.js';

const ROWS = 1_000_000;
const MB = 1024 * 1024;
// COPY data forwarded to the target before it "goes down": a few parts into a load of ~200 MB.
const DOWN_AFTER_BYTES = 24 * MB;
const PART = String.raw`part-\d{5}\.csv\.gz`;

describe('a migrate whose target goes down during the load', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let proxy: TcpProxy;
  let stack: Stack;
  let worker: DxaProcess;
  let sourceSum: TableChecksum;
  let sourceOid = '';

  const pgOf = (db: TestDatabase) => ({ host: PG_HOST, port: PG_PORT, user: PG_USER, database: db.name });

  beforeAll(async () => {
    source = await createTestDatabase('resume_src');
    target = await createTestDatabase('resume_dst');
    await createOrdersTable(source, 'public.orders', ROWS);
    sourceSum = await pgTableChecksum(pgOf(source), 'public.orders');
    sourceOid = (await source.query<{ oid: string }>("SELECT 'public.orders'::regclass::oid::text AS oid"))
      .rows[0]!.oid;
    // The target is reached only through the proxy: stopping it takes the target down.
    proxy = await startTcpProxy({ targetPort: PG_PORT });
    stack = createStack({
      database: source.name,
      extraToml: `
[connections.target.pg_target]
type = "postgresql"
host = "127.0.0.1"
port = ${proxy.port}
database = "${target.name}"
username = "${PG_USER}"
`,
    });
    // Short retry delays (1 s, then 2 s) keep the three attempts of a migrate quick.
    await stack.startGateway({ env: { DXA_RETRY_BACKOFF_MS: '1000' } });
    worker = (await stack.startWorker('resume', { env: { LOG_LEVEL: 'info' } })).proc;
  });

  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
    await source?.drop();
    await target?.drop();
  });

  const migrate = (table: string) =>
    stack.api('POST', '/v1/jobs', {
      type: 'migrate',
      affinity: 'resume',
      source: { connection: 'pg_main', table: 'public.orders' },
      stage: { connection: 'local', path: 'resume' },
      format: 'csv',
      target: { connection: 'pg_target', table: `public.${table}`, mode: 'replace' },
      options: { file_size_mb: 4 },
    });

  /** Polls the job view often enough to see every attempt's failure during its retry delay. */
  async function viewWhen(id: string, done: (v: JobView) => boolean, timeoutMs = 120_000): Promise<JobView> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      const { body } = await stack.api('GET', `/v1/jobs/${id}`);
      last = body;
      const view = body as unknown as JobView;
      if (done(view)) return view;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} never got there; last view: ${JSON.stringify(last)}`);
  }

  /** Table scans of the source table so far (fresh connection, so a fresh statistics snapshot). */
  async function sourceScans(): Promise<number> {
    const { rows } = await source.query<{ n: string }>(
      'SELECT (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::text AS n FROM pg_stat_user_tables WHERE relid = $1::oid',
      [sourceOid],
    );
    return Number(rows[0]?.n);
  }

  /** No worker connection to the source is left, so every scan it made has been counted. */
  const sourceIdle = () =>
    eventually(async () => {
      const { rows } = await source.query<{ n: string }>(
        'SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      return rows[0]?.n === '0';
    }, 30_000);

  async function expectTargetEqualsSource(table: string): Promise<void> {
    const { rows } = await target.query<{ n: string; d: string }>(
      `SELECT count(*)::text AS n, count(DISTINCT id)::text AS d FROM ${table}`,
    );
    expect(rows[0]).toEqual({ n: String(ROWS), d: String(ROWS) });
    const sum = await pgTableChecksum(pgOf(target), table);
    expect({ rows: sum.rows, sum: sum.sum }).toEqual({ rows: sourceSum.rows, sum: sourceSum.sum });
    const scratch = await target.query("SELECT relname FROM pg_class WHERE relname LIKE '%\\_\\_dxa\\_%'");
    expect(scratch.rows).toEqual([]);
  }

  it('retries with backoff, re-uses the staged files without reading the source, and loads each row once', async () => {
    const scansBefore = await sourceScans();
    const wentDown = new Promise<void>((resolve) =>
      proxy.onBytesToTarget(proxy.bytesToTarget + DOWN_AFTER_BYTES, () => {
        void proxy.stop();
        resolve();
      }),
    );
    const res = await migrate('orders_copy');
    expect(res.status).toBe(202);
    const id = res.body.id!;
    try {
      // The extract is finished and staged: from now on the source must not be needed.
      const staged = await viewWhen(id, (v) => v.steps?.stage !== undefined);
      await source.query('ALTER TABLE public.orders RENAME TO orders_moved');
      await wentDown;

      const first = await viewWhen(id, (v) => v.state === 'queued' && v.error !== undefined);
      expect(first.attempts).toBe(1);
      expect(first.error).toMatchObject({ code: 'CONNECTION_FAILED', step: 'load' });
      expect(first.error?.message).toMatch(
        new RegExp(
          `^step load: target connection "pg_target" \\(postgresql\\): loading ${PART} into public\\.orders_copy: `,
        ),
      );
      expect(await sourceIdle()).toBe(true);
      const scansAfterExtract = await sourceScans();
      expect(scansAfterExtract).toBeGreaterThan(scansBefore);

      // Still down: the next attempt re-uses the staged files and fails to connect, naming the part.
      const second = await viewWhen(
        id,
        (v) => v.state === 'queued' && v.attempts === 2 && v.error !== undefined,
      );
      expect(second.error?.message).toMatch(
        new RegExp(
          `^step load: target connection "pg_target" \\(postgresql\\): loading ${PART} into public\\.orders_copy: connect ECONNREFUSED 127\\.0\\.0\\.1:${proxy.port}$`,
        ),
      );

      await proxy.restart();
      const done = await stack.waitForState(id, ['completed', 'failed', 'cancelled']);
      expect(done.state, JSON.stringify(done.error)).toBe('completed');
      expect(done.attempts).toBe(3);
      expect(done.steps).toMatchObject({
        extract: { attempt: 1, rows: ROWS },
        stage: { attempt: 1, rows: ROWS, files: staged.steps?.stage?.files },
        load: { attempt: 3, rows: ROWS, table: 'public.orders_copy' },
        validate: { attempt: 3, validation: 'passed' },
      });
      expect(done.result?.validation?.count).toMatchObject({ source_rows: ROWS, target_rows: ROWS });
      const reused = `re-using ${staged.steps?.stage?.files} staged files from attempt 1`;
      expect(worker.output().split(reused).length - 1).toBe(2);

      // The source was read once: no scan after the extract (and it was renamed away meanwhile).
      expect(await sourceScans()).toBe(scansAfterExtract);
      await expectTargetEqualsSource('public.orders_copy');
    } finally {
      await source.query('ALTER TABLE IF EXISTS public.orders_moved RENAME TO orders');
      await proxy.restart();
    }
  });

  it('fails after the last attempt naming step and part, and keeps the staged files for a load job', async () => {
    proxy.onBytesToTarget(proxy.bytesToTarget + DOWN_AFTER_BYTES, () => void proxy.stop());
    const res = await migrate('orders_down');
    const id = res.body.id!;
    const failed = await stack.waitForState(id, ['completed', 'failed', 'cancelled']);
    expect(failed.state).toBe('failed');
    expect(failed.attempts).toBe(3);
    expect(failed.error).toMatchObject({ code: 'CONNECTION_FAILED', step: 'load' });
    expect(failed.error?.message).toMatch(
      new RegExp(
        `^step load: target connection "pg_target" \\(postgresql\\): loading ${PART} into public\\.orders_down: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`,
      ),
    );
    expect(failed.steps?.load).toBeUndefined();
    expect((await target.query("SELECT to_regclass('public.orders_down') AS t")).rows[0]).toEqual({
      t: null,
    });

    // The staged files are still there, all of them, with their manifest.
    const folder = join(stack.stageDir, 'resume', id);
    expect(existsSync(join(folder, '_manifest.json'))).toBe(true);
    const parts = readdirSync(folder).filter((f) => new RegExp(`^${PART}$`).test(f));
    expect(parts).toHaveLength(failed.steps?.stage?.files ?? -1);

    // Once the target is back, a load job takes them from the failed migrate.
    await proxy.restart();
    const load = await stack.api('POST', '/v1/jobs', {
      type: 'load',
      affinity: 'resume',
      from_job: id,
      target: { connection: 'pg_target', table: 'public.orders_down', mode: 'create' },
    });
    expect(load.status).toBe(202);
    const loaded = await stack.waitForState(load.body.id!, ['completed', 'failed', 'cancelled']);
    expect(loaded.state, JSON.stringify(loaded.error)).toBe('completed');
    expect(loaded.result?.load?.rows).toBe(ROWS);
    await expectTargetEqualsSource('public.orders_down');
  });
});
