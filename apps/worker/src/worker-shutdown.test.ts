import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from './index.js';
import { createHarness, type Harness } from './test-support/harness.js';

const LABEL = 'wk-drain';
const ENDLESS_QUERY =
  'SELECT g AS id, md5(g::text) AS payload FROM (SELECT generate_series(1, 200000000) AS g) s';

let h: Harness;

beforeAll(async () => {
  h = await createHarness(LABEL);
});

afterAll(async () => {
  await h?.dispose();
});

describe('worker shutdown', () => {
  it('hands a job that outlives the deadline back to the queue', async () => {
    const worker = await startWorker({
      config: h.config,
      logger: h.logger,
      concurrency: 1,
      tuning: { heartbeatMs: 200 },
    });
    const id = await h.submit({
      type: 'migrate',
      affinity: LABEL,
      source: { connection: 'pg', query: ENDLESS_QUERY },
      target: { connection: 'warehouse', table: 'endless', mode: 'create' },
    });
    await h.waitFor(id, (r) => r.state === 'active' && (r.progress?.rows ?? 0) > 0);
    expect((await h.registry.live()).find((w) => w.id === worker.id)?.active_jobs).toEqual([id]);

    await worker.close(300);

    const record = await h.store.get(id);
    expect(record).toMatchObject({ state: 'queued', worker: worker.id });
    expect(record?.finished_at).toBeUndefined();
    expect(record?.error).toBeUndefined();
    expect(await h.queue(LABEL).getJobState(id)).toBe('waiting');
    expect((await h.registry.live()).some((w) => w.id === worker.id)).toBe(false);
  });

  it('a second worker picks the handed-back job up', async () => {
    const queued = (await h.store.list({ state: 'queued', limit: 10 }))[0];
    expect(queued).toBeDefined();
    const next = await startWorker({
      config: h.config,
      logger: h.logger,
      concurrency: 1,
      tuning: { heartbeatMs: 200 },
    });
    try {
      const taken = await h.waitFor(queued!.id, (r) => r.state === 'active' && r.worker === next.id);
      expect(taken.attempts).toBeGreaterThanOrEqual(1);
      await h.cancel(queued!.id);
      await h.waitFor(queued!.id, (r) => r.state === 'cancelled');
    } finally {
      await next.close(2_000);
    }
  });
});
