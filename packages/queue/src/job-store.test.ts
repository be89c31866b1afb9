import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { JobSpec } from '@dxa/contracts';
import type { JobRecord } from './api.js';
import { createJobStore, TERMINAL_RECORD_TTL_SECONDS } from './job-store.js';
import { newJobId } from './job-id.js';
import { deleteKeysUnder, TEST_REDIS_URL, testPrefix } from './test-redis.js';

const prefix = testPrefix('store');
let redis: Redis;

const spec = (affinity = 'default'): JobSpec => ({
  type: 'extract',
  affinity,
  options: { file_size_mb: 128 },
  source: { connection: 'pg_main', table: 'public.orders' },
});

function record(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: newJobId(),
    spec: spec(),
    state: 'queued',
    queue: 'exchange.default',
    attempts: 0,
    created_at: new Date().toISOString(),
    ...overrides,
  };
}

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await redis.quit();
  await deleteKeysUnder(prefix);
});

describe('job store', () => {
  it('round-trips a record, one hash field per top-level field', async () => {
    const store = createJobStore(redis, prefix);
    const r = record({ worker: 'w1' });
    await store.create(r);
    expect(await store.get(r.id)).toEqual(r);
    const fields = await redis.hkeys(`${prefix}:job:${r.id}`);
    expect(fields.sort()).toEqual(['attempts', 'created_at', 'id', 'queue', 'spec', 'state', 'worker']);
    expect(await redis.zscore(`${prefix}:jobs`, r.id)).toBe(String(Date.parse(r.created_at)));
  });

  it('keeps concurrent updates of different fields', async () => {
    const store = createJobStore(redis, prefix);
    const r = record();
    await store.create(r);
    await Promise.all([
      store.update(r.id, { state: 'active', started_at: '2030-01-01T00:00:00.000Z' }),
      store.update(r.id, {
        progress: { phase: 'extract', rows: 10, bytes: 100, files: 1, rows_per_second: 5 },
      }),
      store.setResult(r.id, { load: { rows: 3, table: 't', mode: 'create' } }),
      store.update(r.id, { worker: 'w2', attempts: 1 }),
    ]);
    const got = await store.get(r.id);
    expect(got).toMatchObject({
      state: 'active',
      worker: 'w2',
      attempts: 1,
      progress: { rows: 10 },
      result: { load: { rows: 3 } },
    });
  });

  it('stores result parts in separate fields and merges them', async () => {
    const store = createJobStore(redis, prefix);
    const r = record();
    await store.create(r);
    await store.setResult(r.id, { load: { rows: 3, table: 't', mode: 'append' } });
    await store.setResult(r.id, { validation: { status: 'passed' } });
    expect(await redis.hexists(`${prefix}:job:${r.id}`, 'result.load')).toBe(1);
    expect(await redis.hexists(`${prefix}:job:${r.id}`, 'result.validation')).toBe(1);
    expect((await store.get(r.id))?.result).toEqual({
      load: { rows: 3, table: 't', mode: 'append' },
      validation: { status: 'passed' },
    });
  });

  it('stores each finished step in its own field and keeps the others', async () => {
    const store = createJobStore(redis, prefix);
    const r = record();
    await store.create(r);
    const done = { status: 'completed', finished_at: '2030-01-01T00:00:00.000Z', attempt: 1 } as const;
    const stage = { ...done, connection: 'local', manifest: 'x/_manifest.json', rows: 5, files: 2, bytes: 9 };
    await store.setStep(r.id, 'stage', stage);
    await store.setStep(r.id, 'load', {
      ...done,
      attempt: 2,
      rows: 5,
      table: 't',
      mode: 'replace',
      files: 2,
    });
    expect(await redis.hexists(`${prefix}:job:${r.id}`, 'steps.stage')).toBe(1);
    expect((await store.get(r.id))?.steps).toEqual({
      stage,
      load: { ...done, attempt: 2, rows: 5, table: 't', mode: 'replace', files: 2 },
    });
    await store.update(r.id, { steps: undefined });
    expect((await store.get(r.id))?.steps).toBeUndefined();
  });

  it('deletes fields patched with undefined and returns the updated record', async () => {
    const store = createJobStore(redis, prefix);
    const r = record({ retry_at: '2030-01-01T00:00:00.000Z' });
    await store.create(r);
    const updated = await store.update(r.id, { retry_at: undefined, attempts: 2 });
    expect(updated?.retry_at).toBeUndefined();
    expect(updated?.attempts).toBe(2);
    expect(await redis.hexists(`${prefix}:job:${r.id}`, 'retry_at')).toBe(0);
  });

  it('does not create a record when updating a missing id', async () => {
    const store = createJobStore(redis, prefix);
    const id = newJobId();
    expect(await store.update(id, { state: 'active' })).toBeUndefined();
    await store.setResult(id, { load: { rows: 1, table: 't', mode: 'create' } });
    expect(await redis.exists(`${prefix}:job:${id}`)).toBe(0);
    expect(await store.get(id)).toBeUndefined();
  });

  it('expires terminal records after 7 days and not others', async () => {
    const store = createJobStore(redis, prefix);
    const r = record();
    await store.create(r);
    expect(await redis.ttl(`${prefix}:job:${r.id}`)).toBe(-1);
    await store.update(r.id, { state: 'completed' });
    const ttl = await redis.ttl(`${prefix}:job:${r.id}`);
    expect(ttl).toBeGreaterThan(TERMINAL_RECORD_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(TERMINAL_RECORD_TTL_SECONDS);
    const done = record({ state: 'cancelled' });
    await store.create(done);
    expect(await redis.ttl(`${prefix}:job:${done.id}`)).toBeGreaterThan(0);
  });

  it('lists newest first, filtered by state and affinity, with a limit', async () => {
    const listPrefix = `${prefix}-list`;
    const store = createJobStore(redis, listPrefix);
    const base = Date.parse('2030-01-01T00:00:00.000Z');
    const records = Array.from({ length: 6 }, (_, i) =>
      record({
        id: newJobId(base + i),
        created_at: new Date(base + i * 1000).toISOString(),
        state: i % 2 === 0 ? 'queued' : 'completed',
        spec: spec(i < 3 ? 'blue' : 'green'),
      }),
    );
    for (const r of records) await store.create(r);
    const ids = (rs: JobRecord[]): string[] => rs.map((r) => r.id);
    expect(ids(await store.list({ limit: 10 }))).toEqual(ids([...records].reverse()));
    expect(ids(await store.list({ limit: 2 }))).toEqual([records[5]!.id, records[4]!.id]);
    expect(ids(await store.list({ limit: 10, state: 'queued' }))).toEqual([
      records[4]!.id,
      records[2]!.id,
      records[0]!.id,
    ]);
    expect(ids(await store.list({ limit: 10, state: 'queued', affinity: 'blue' }))).toEqual([
      records[2]!.id,
      records[0]!.id,
    ]);
    await deleteKeysUnder(listPrefix);
  });

  it('drops ids of expired records from the index while listing', async () => {
    const listPrefix = `${prefix}-expired`;
    const store = createJobStore(redis, listPrefix);
    const a = record({ created_at: '2030-01-01T00:00:00.000Z' });
    const b = record({ created_at: '2030-01-01T00:00:01.000Z' });
    await store.create(a);
    await store.create(b);
    await redis.del(`${listPrefix}:job:${b.id}`); // as if its TTL ran out
    expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual([a.id]);
    expect(await redis.zrange(`${listPrefix}:jobs`, 0, -1)).toEqual([a.id]);
    await deleteKeysUnder(listPrefix);
  });

  it('removes a record and its index entry', async () => {
    const store = createJobStore(redis, prefix);
    const r = record();
    await store.create(r);
    await store.remove(r.id);
    expect(await store.get(r.id)).toBeUndefined();
    expect(await redis.zscore(`${prefix}:jobs`, r.id)).toBeNull();
  });
});
