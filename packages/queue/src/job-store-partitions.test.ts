import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { PartitionEntry } from '@dxa/contracts';
import { createJobStore } from './job-store.js';
import { newJobId } from './job-id.js';
import { toJobView } from './job-view.js';
import { deleteKeysUnder, TEST_REDIS_URL, testPrefix } from './test-redis.js';

const prefix = testPrefix('partitions');
let redis: Redis;

const entry = (index: number, generation: number): PartitionEntry => ({
  index,
  generation,
  state: 'queued',
  range: `id ≥ ${index * 10}`,
  attempts: 0,
  rows: 0,
  bytes: 0,
});

async function newRecord(): Promise<string> {
  const store = createJobStore(redis, prefix);
  const id = newJobId();
  await store.create({
    id,
    spec: {
      type: 'extract',
      affinity: 'default',
      options: { file_size_mb: 128, partitions: 3 },
      source: { connection: 'pg_main', table: 'public.orders' },
    },
    state: 'active',
    queue: 'exchange.default',
    attempts: 1,
    created_at: new Date().toISOString(),
  });
  return id;
}

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await redis.quit();
  await deleteKeysUnder(prefix);
});

describe('partition entries in the job record', () => {
  it('keeps one field per partition and merges updates into it', async () => {
    const store = createJobStore(redis, prefix);
    const id = await newRecord();
    await store.startPartitions(id, 1, [entry(0, 1), entry(1, 1), entry(2, 1)]);
    expect(await store.updatePartition(id, 1, 1, { state: 'active', worker: 'w1', attempts: 1 })).toBe(true);
    expect(await store.updatePartition(id, 1, 1, { rows: 42 })).toBe(true);
    const record = await store.get(id);
    expect(record?.partition_generation).toBe(1);
    expect(record?.partitions?.['1']).toMatchObject({ state: 'active', worker: 'w1', attempts: 1, rows: 42 });
    expect(Object.keys(record?.partitions ?? {}).sort()).toEqual(['0', '1', '2']);
    const fields = await redis.hkeys(`${prefix}:job:${id}`);
    expect(fields.filter((f) => f.startsWith('partitions.')).sort()).toEqual([
      'partitions.0',
      'partitions.1',
      'partitions.2',
    ]);
  });

  it('a new planning drops the old entries, and a straggler of the old one cannot write', async () => {
    const store = createJobStore(redis, prefix);
    const id = await newRecord();
    await store.startPartitions(id, 1, [entry(0, 1), entry(1, 1), entry(2, 1)]);
    await store.startPartitions(id, 2, [entry(0, 2), entry(1, 2)]);
    expect(await store.updatePartition(id, 0, 1, { state: 'completed', rows: 5 })).toBe(false);
    expect(await store.updatePartition(id, 0, 2, { state: 'active' })).toBe(true);
    const record = await store.get(id);
    expect(Object.keys(record?.partitions ?? {}).sort()).toEqual(['0', '1']);
    expect(record?.partitions?.['0']).toMatchObject({ generation: 2, state: 'active', rows: 0 });
  });

  it('shows the current partitions in index order in the job view, without file lists', async () => {
    const store = createJobStore(redis, prefix);
    const id = await newRecord();
    await store.startPartitions(id, 1, [entry(2, 1), entry(0, 1), entry(1, 1)]);
    const files = [{ name: 'g1-p0000-part-00001.parquet', rows: 3, bytes: 10, sha256: 'a'.repeat(64) }];
    await store.updatePartition(id, 0, 1, { state: 'completed', rows: 3, files });
    const view = toJobView((await store.get(id))!, []);
    expect(view.partitions?.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(view.partitions?.[0]).toMatchObject({ state: 'completed', rows: 3 });
    expect(view.partitions?.[0]).not.toHaveProperty('files');
  });

  it('does not create partition fields for a record that does not exist', async () => {
    const store = createJobStore(redis, prefix);
    await store.startPartitions('missing-job', 1, [entry(0, 1)]);
    expect(await redis.exists(`${prefix}:job:missing-job`)).toBe(0);
    expect(await store.updatePartition('missing-job', 0, 1, { rows: 1 })).toBe(false);
  });
});
