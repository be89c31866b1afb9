import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { partitionQueueNameFor, TERMINAL_STATES } from '@dxa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@dxa/testing';
import { startWorker, type WorkerHandle } from './index.js';
import { createHarness, type Harness } from './test-support/harness.js';

const LABEL = 'wk-parts';
const ROWS = 200_000;

let h: Harness;
let worker: WorkerHandle;

const isDone = (r: { state: string }) => TERMINAL_STATES.includes(r.state as never);

beforeAll(async () => {
  h = await createHarness(LABEL);
  await h.db.query(
    `CREATE TABLE public.src (id integer PRIMARY KEY, payload text);
     INSERT INTO public.src SELECT g, md5(g::text) FROM generate_series(1, ${ROWS}) g;
     ANALYZE public.src;`,
  );
  // One job slot and one partition slot: the coordinator waiting on its partitions must not starve them.
  worker = await startWorker({
    config: h.config,
    logger: h.logger,
    concurrency: 1,
    partitionConcurrency: 1,
    tuning: { heartbeatMs: 200 },
  });
});

afterAll(async () => {
  await worker?.close(5_000);
  await h?.dispose();
});

describe('a partitioned migrate on one worker', () => {
  it('runs every partition on the same worker and loads each row once', async () => {
    const id = await h.submit({
      type: 'migrate',
      affinity: LABEL,
      source: { connection: 'pg', table: 'public.src' },
      format: 'csv',
      stage: { path: 'one' },
      target: { connection: 'warehouse', table: 'one_copy', mode: 'replace' },
      options: { partitions: 4, file_size_mb: 1 },
    });
    const record = await h.waitFor(id, isDone);
    expect(record.state, JSON.stringify(record.error)).toBe('completed');
    expect(record.result?.load?.rows).toBe(ROWS);
    expect(record.result?.extract?.partitions).toMatchObject({ count: 4, method: 'pages' });
    const entries = Object.values(record.partitions ?? {});
    expect(entries.map((e) => e.state)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(entries.reduce((sum, e) => sum + e.rows, 0)).toBe(ROWS);
    // The manifest lists every partition's files once, in partition order.
    const folder = path.join(h.stageDir, 'one', id);
    const manifest = JSON.parse(readFileSync(path.join(folder, '_manifest.json'), 'utf8')) as {
      rows: number;
      files: { name: string }[];
    };
    expect(manifest.rows).toBe(ROWS);
    const names = manifest.files.map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names.map((n) => n.slice(0, 8)))).toEqual(
      new Set(['g1-p0000', 'g1-p0001', 'g1-p0002', 'g1-p0003']),
    );
    expect(readdirSync(folder).sort()).toEqual(['_manifest.json', ...names].sort());
  });

  it('stops every partition when the job is cancelled and leaves no manifest', async () => {
    const id = await h.submit({
      type: 'extract',
      affinity: LABEL,
      // A slow slice (pg_sleep per 20,000 rows) so the cancel lands while partitions run.
      source: { connection: 'pg', table: 'public.src', where: 'id % 20000 <> 0 OR pg_sleep(1) IS NOT NULL' },
      format: 'csv',
      stage: { path: 'cancelled' },
      options: { partitions: 4, file_size_mb: 1 },
    });
    await h.waitFor(id, (r) => Object.values(r.partitions ?? {}).some((e) => e.state === 'active'));
    await h.cancel(id);
    const record = await h.waitFor(id, isDone);
    expect(record.state).toBe('cancelled');
    // No partition is left running or queued, in the record or in the queue.
    const partitionsDone = await h.waitFor(id, (r) =>
      Object.values(r.partitions ?? {}).every((e) => e.state !== 'active'),
    );
    expect(Object.values(partitionsDone.partitions ?? {}).some((e) => e.state === 'cancelled')).toBe(true);
    const queue = new Queue(partitionQueueNameFor(LABEL), {
      connection: h.redis,
      prefix: h.config.redis.prefix,
    });
    try {
      // A stopped partition leaves BullMQ's active list a moment after its entry says cancelled.
      const counts = () => queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      await eventually(async () => Object.values(await counts()).every((n) => n === 0));
      expect(await counts()).toEqual({ wait: 0, active: 0, delayed: 0, prioritized: 0 });
    } finally {
      await queue.close();
    }
    const folder = path.join(h.stageDir, 'cancelled', id);
    expect(existsSync(path.join(folder, '_manifest.json'))).toBe(false);
  });

  it('fails the job with the code of a failed partition, naming it', async () => {
    await h.db.query(
      `CREATE TABLE public.doomed AS SELECT * FROM public.src;
       ALTER TABLE public.doomed ADD PRIMARY KEY (id);
       ANALYZE public.doomed;`,
    );
    const id = await h.submit({
      type: 'extract',
      affinity: LABEL,
      source: {
        connection: 'pg',
        table: 'public.doomed',
        where: 'id % 20000 <> 0 OR pg_sleep(0.5) IS NOT NULL',
      },
      format: 'csv',
      stage: { path: 'doomed' },
      options: { partitions: 4, file_size_mb: 1 },
    });
    await h.waitFor(id, (r) => Object.values(r.partitions ?? {}).some((e) => e.state === 'active'));
    // The table goes away under the later partitions (the drop waits for the running one).
    await h.db.query('DROP TABLE public.doomed');
    const record = await h.waitFor(id, isDone);
    expect(record.state).toBe('failed');
    expect(record.error?.code).toBe('SOURCE_NOT_FOUND');
    expect(record.error?.message).toMatch(/partition \d of 4 \(pages \d+–/);
    expect(existsSync(path.join(h.stageDir, 'doomed', id, '_manifest.json'))).toBe(false);
  });
});
