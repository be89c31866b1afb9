import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createDestination } from '@dxa/connectors';
import { JobSpec, queueNameFor } from '@dxa/contracts';
import { MANIFEST_NAME } from '@dxa/files';
import { createQueueEvents, createRedis, newJobId, type JobRecord } from '@dxa/queue';
import { duckdbTableChecksum, eventually, pgTableChecksum, REDIS_URL } from '@dxa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle } from './index.js';
import { createHarness, pgConnection, type Harness } from './test-support/harness.js';

const LABEL = 'wk-main';
const OTHER_LABEL = 'wk-nobody';
// Streams row by row (a set-returning function in the select list is not materialised first).
const ENDLESS_QUERY =
  'SELECT g AS id, md5(g::text) AS payload FROM (SELECT generate_series(1, 200000000) AS g) s';

let h: Harness;
let worker: WorkerHandle;
let healthPort: number;

/** A loopback port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Queries of this test database still running in PostgreSQL (other than the one asking). */
async function runningQueries(): Promise<number> {
  const r = await h.db.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'",
  );
  return Number(r.rows[0]?.n);
}

beforeAll(async () => {
  h = await createHarness(LABEL);
  await h.db.query(
    `CREATE TABLE src (id int PRIMARY KEY, name text, amount numeric(12,2), ts timestamptz, flag boolean, note text)`,
  );
  await h.db.query(`
    INSERT INTO src
    SELECT g, 'name ' || g, (g * 1.25)::numeric(12,2), timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute',
           g % 2 = 0, CASE WHEN g % 10 = 0 THEN NULL ELSE 'n' || g END
    FROM generate_series(1, 5000) g`);
  healthPort = await freePort();
  worker = await startWorker({
    config: h.config,
    logger: h.logger,
    healthPort,
    tuning: { heartbeatMs: 200 },
  });
});

afterAll(async () => {
  await worker?.close(5_000);
  await h?.dispose();
});

describe('worker', () => {
  it('registers itself with its labels and connection names', async () => {
    const live = await h.registry.live();
    const me = live.find((w) => w.id === worker.id);
    expect(me).toMatchObject({ affinities: [LABEL], concurrency: 2, draining: false, pid: process.pid });
    expect(me?.connections).toEqual(['source:down', 'source:pg', 'stage:local', 'target:warehouse']);
  });

  it('runs a migrate job: the DuckDB table equals the source, progress and results are recorded', async () => {
    const template = createRedis(REDIS_URL, 'subscriber');
    const events = createQueueEvents(LABEL, { connection: template, prefix: h.config.redis.prefix });
    const phases = new Set<string>();
    events.on('progress', ({ data }) => {
      if (typeof data === 'object' && data !== null && 'phase' in data) phases.add(String(data.phase));
    });
    await events.waitUntilReady();
    try {
      const id = await h.submit({
        type: 'migrate',
        affinity: LABEL,
        source: { connection: 'pg', table: 'public.src' },
        target: { connection: 'warehouse', table: 'src_copy', mode: 'create' },
        validation: { levels: ['count', 'schema'] },
        options: { file_size_mb: 0.05 },
      });
      const done = await h.waitFor(id, (r) => ['completed', 'failed', 'cancelled'].includes(r.state));
      expect(done.error).toBeUndefined();
      expect(done).toMatchObject({ state: 'completed', worker: worker.id, attempts: 1 });
      expect(done.result?.extract?.rows).toBe(5000);
      expect(done.result?.extract?.files.length).toBeGreaterThan(1);
      expect(done.result?.extract?.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
      expect(done.result?.load).toEqual({ rows: 5000, table: 'src_copy', mode: 'create' });
      expect(done.result?.validation).toMatchObject({
        status: 'passed',
        count: { status: 'passed', source_rows: 5000, target_rows: 5000 },
        schema: { status: 'passed', differences: [] },
      });
      // The report sits on the stage next to the manifest.
      expect(existsSync(done.result?.validation?.report?.json ?? '')).toBe(true);
      expect(done.progress?.phase).toBe('validate');
      expect(existsSync(path.join(h.stageDir, id, MANIFEST_NAME))).toBe(true);

      const source = await pgTableChecksum(pgConnection(h.db), 'public.src');
      const target = await duckdbTableChecksum(h.duckdbFile, 'src_copy', source.columns);
      expect(target.rows).toBe(5000);
      expect(target.sum).toBe(source.sum);
      await h.waitFor(id, () => phases.has('extract') && phases.has('load') && phases.has('validate'), 5_000);
    } finally {
      await events.close();
      await template.quit();
    }
  });

  it('serves health, readiness and job metrics', async () => {
    const base = `http://127.0.0.1:${healthPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ redis: 'connected' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/dxa_worker_jobs_processed_total\{type="migrate"\} [1-9]/);
    expect(metrics).toMatch(/dxa_worker_rows_extracted_total [1-9]/);
  });

  it('fails a payload that does not match the catalog schema as INVALID_JOB, without retry', async () => {
    const spec = JobSpec.parse({
      type: 'extract',
      affinity: LABEL,
      source: { connection: 'pg', table: 'public.src' },
    });
    const record: JobRecord = {
      id: newJobId(),
      spec,
      state: 'queued',
      queue: queueNameFor(LABEL),
      attempts: 0,
      created_at: new Date().toISOString(),
    };
    await h.store.create(record);
    // A producer that skipped validation: the worker must not trust the payload.
    await h
      .queue(LABEL)
      .add(
        'extract',
        { spec: { ...spec, source: { connection: 'pg', table: 'x; DROP TABLE src' } } } as never,
        { jobId: record.id, attempts: 3 },
      );
    const done = await h.waitFor(record.id, (r) => r.state === 'failed');
    expect(done.error?.code).toBe('INVALID_JOB');
    expect(done.error?.message).toMatch(/source\.table/);
    expect((await h.queue(LABEL).getJob(record.id))?.attemptsMade).toBe(1);
  });

  it('ends a job whose record was marked cancelled before it started', async () => {
    const spec = JobSpec.parse({
      type: 'extract',
      affinity: LABEL,
      source: { connection: 'pg', table: 'public.src' },
    });
    const record: JobRecord = {
      id: newJobId(),
      spec,
      state: 'queued',
      queue: queueNameFor(LABEL),
      attempts: 0,
      created_at: new Date().toISOString(),
      cancel_requested: true,
    };
    await h.store.create(record);
    await h.queue(LABEL).add('extract', { spec }, { jobId: record.id, attempts: 3 });
    const done = await h.waitFor(record.id, (r) => r.state !== 'queued');
    expect(done).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    expect(existsSync(path.join(h.stageDir, record.id))).toBe(false);
  });

  it('fails a create-mode migrate into an existing table before extracting', async () => {
    const id = await h.submit({
      type: 'migrate',
      affinity: LABEL,
      source: { connection: 'pg', table: 'public.src' },
      target: { connection: 'warehouse', table: 'src_copy', mode: 'create' },
    });
    const done = await h.waitFor(id, (r) => r.state === 'failed');
    expect(done.error).toMatchObject({ code: 'TARGET_EXISTS', step: 'check-target' });
    expect(done.result?.extract).toBeUndefined();
    expect(existsSync(path.join(h.stageDir, id))).toBe(false);
  });

  it('loads from a finished extract job and validates source against target', async () => {
    const extractId = await h.submit({
      type: 'extract',
      affinity: LABEL,
      source: { connection: 'pg', table: 'public.src', where: 'id <= 100' },
      format: 'csv',
    });
    const extracted = await h.waitFor(extractId, (r) => r.state !== 'queued' && r.state !== 'active');
    expect(extracted).toMatchObject({
      state: 'completed',
      result: { extract: { rows: 100, format: 'csv' } },
    });
    const loadId = await h.submit({
      type: 'load',
      affinity: LABEL,
      from_job: extractId,
      target: { connection: 'warehouse', table: 'first_100', mode: 'replace' },
    });
    const loaded = await h.waitFor(loadId, (r) => r.state !== 'queued' && r.state !== 'active');
    expect(loaded).toMatchObject({
      state: 'completed',
      result: { load: { rows: 100, table: 'first_100', mode: 'replace' } },
    });
    const validateId = await h.submit({
      type: 'validate',
      affinity: LABEL,
      source: { connection: 'pg', table: 'public.src' },
      target: { connection: 'warehouse', table: 'first_100' },
    });
    const validated = await h.waitFor(validateId, (r) => r.state !== 'queued' && r.state !== 'active');
    expect(validated).toMatchObject({
      state: 'failed',
      error: { code: 'VALIDATION_FAILED', step: 'validate' },
      result: { validation: { status: 'failed', count: { source_rows: 5000, target_rows: 100 } } },
    });
  });

  it('leaves a job for a label it does not serve in the queue', async () => {
    const otherId = await h.submit({
      type: 'extract',
      affinity: OTHER_LABEL,
      source: { connection: 'pg', table: 'public.src' },
    });
    // A job submitted afterwards for our label finishes, so the worker was polling all along.
    const ownId = await h.submit({
      type: 'extract',
      affinity: LABEL,
      source: { connection: 'pg', table: 'public.src', where: 'id = 1' },
    });
    await h.waitFor(ownId, (r) => r.state === 'completed');
    expect((await h.store.get(otherId))?.state).toBe('queued');
    expect(await h.queue(OTHER_LABEL).getJobState(otherId)).toBe('waiting');

    // A load needs a completed extract: one still queued is a terminal error with a clear message.
    const loadId = await h.submit({
      type: 'load',
      affinity: LABEL,
      from_job: otherId,
      target: { connection: 'warehouse', table: 't', mode: 'replace' },
    });
    const load = await h.waitFor(loadId, (r) => r.state === 'failed');
    expect(load.error).toMatchObject({
      code: 'INVALID_JOB',
      step: 'find-extract',
      message: `step find-extract: from_job ${otherId} is queued; a load needs a completed extract or migrate job, or a failed one that finished staging its files`,
    });
  });

  it('fails a terminal error (missing source table) without retrying', async () => {
    const id = await h.submit({
      type: 'migrate',
      affinity: LABEL,
      source: { connection: 'pg', table: 'public.no_such_table' },
      target: { connection: 'warehouse', table: 'never', mode: 'replace' },
    });
    const done = await h.waitFor(id, (r) => r.state === 'failed');
    expect(done.error?.code).toBe('SOURCE_NOT_FOUND');
    expect(done.attempts).toBe(1);
    // The entry is written before the processor throws; BullMQ moves the job to failed just after.
    await eventually(async () => (await h.queue(LABEL).getJobState(id)) === 'failed');
    const job = await h.queue(LABEL).getJob(id);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe('failed');
  });

  it('retries a transient failure with backoff, then fails after the last attempt', async () => {
    const id = await h.submit({
      type: 'extract',
      affinity: LABEL,
      source: { connection: 'down', table: 'public.src' },
    });
    const between = await h.waitFor(id, (r) => r.state === 'queued' && r.retry_at !== undefined);
    expect(between.error?.code).toBe('CONNECTION_FAILED');
    expect(between.attempts).toBe(1);
    const done = await h.waitFor(id, (r) => r.state === 'failed');
    expect(done.attempts).toBe(3);
    expect(done.error?.code).toBe('CONNECTION_FAILED');
    expect((await h.queue(LABEL).getJob(id))?.attemptsMade).toBe(3);
  });

  it('cancels a running job: no target table and nothing left in the stage', async () => {
    const id = await h.submit({
      type: 'migrate',
      affinity: LABEL,
      source: { connection: 'pg', query: ENDLESS_QUERY },
      target: { connection: 'warehouse', table: 'endless', mode: 'create' },
      options: { file_size_mb: 1 },
    });
    await h.waitFor(id, (r) => r.state === 'active' && (r.progress?.rows ?? 0) > 0);
    await h.cancel(id);
    const done = await h.waitFor(id, (r) => r.state !== 'active');
    expect(done).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    expect(done.finished_at).toBeDefined();
    // The entry says cancelled a moment before BullMQ moves the stopped job to its failed list.
    await eventually(async () => (await h.queue(LABEL).getJobState(id)) === 'failed');
    expect(await h.queue(LABEL).getJobState(id)).toBe('failed');
    const destination = createDestination(h.config, 'warehouse', h.logger);
    expect(await destination.tableExists('endless', { signal: new AbortController().signal })).toBe(false);
    expect(existsSync(path.join(h.stageDir, id, MANIFEST_NAME))).toBe(false);
    expect(existsSync(path.join(h.stageDir, id))).toBe(false);
    expect(existsSync(path.join(h.config.application.work_dir, id))).toBe(false);
    // The source query was stopped too, not left running on the server.
    await h.waitFor(id, () => true);
    for (let i = 0; i < 100 && (await runningQueries()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await runningQueries()).toBe(0);
  });
});
