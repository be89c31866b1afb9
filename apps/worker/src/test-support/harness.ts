import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type ConfigOverrides, type DxaConfig } from '@dxa/config';
import { JobSpec, type JobSpecInput } from '@dxa/contracts';
import { createLogger } from '@dxa/logger';
import {
  createCancelBus,
  createJobStore,
  createQueue,
  createRedis,
  createWorkerRegistry,
  enqueueJob,
  newJobRecord,
  waitForRedis,
  type JobRecord,
  type Queue,
  type QueueJobData,
  type Redis,
} from '@dxa/queue';
import {
  cleanupRedisPrefix,
  createTestDatabase,
  PG_HOST,
  PG_PORT,
  PG_USER,
  REDIS_URL,
  uniquePrefix,
  type TestDatabase,
} from '@dxa/testing';

/** Real Redis (unique prefix), a fresh PostgreSQL database and a temp folder for stage, work dir and DuckDB. */
export type Harness = {
  config: DxaConfig;
  db: TestDatabase;
  dir: string;
  stageDir: string;
  duckdbFile: string;
  redis: Redis;
  store: ReturnType<typeof createJobStore>;
  registry: ReturnType<typeof createWorkerRegistry>;
  cancelBus: ReturnType<typeof createCancelBus>;
  logger: ReturnType<typeof createLogger>;
  queue(label: string): Queue<QueueJobData>;
  submit(input: JobSpecInput): Promise<string>;
  waitFor(id: string, done: (r: JobRecord) => boolean, timeoutMs?: number): Promise<JobRecord>;
  cancel(id: string): Promise<void>;
  dispose(): Promise<void>;
};

export const pgConnection = (db: TestDatabase) => ({
  host: PG_HOST,
  port: PG_PORT,
  user: PG_USER,
  database: db.name,
});

export type HarnessOptions = {
  /** More target connections (e.g. a PostgreSQL target behind a test proxy), by name. */
  targets?: NonNullable<NonNullable<ConfigOverrides['connections']>['target']>;
};

export async function createHarness(label: string, options: HarnessOptions = {}): Promise<Harness> {
  const prefix = uniquePrefix(label);
  const db = await createTestDatabase(label);
  const dir = await mkdtemp(path.join(tmpdir(), `dxa-${label}-`));
  const stageDir = path.join(dir, 'stage');
  const duckdbFile = path.join(dir, 'warehouse.duckdb');
  const { config } = loadConfig({
    env: {},
    overrides: {
      application: {
        workers: 2,
        affinity: [label],
        work_dir: path.join(dir, 'work'),
        shutdown_timeout_seconds: 5,
      },
      redis: { url: REDIS_URL, prefix },
      defaults: { format: 'parquet', stage: 'local' },
      connections: {
        source: {
          pg: { type: 'postgresql', host: PG_HOST, port: PG_PORT, username: PG_USER, database: db.name },
          // Nothing listens on port 1 of loopback: every attempt fails with a connection error.
          down: { type: 'postgresql', host: '127.0.0.1', port: 1, username: PG_USER, database: db.name },
        },
        stage: { local: { type: 'local', path: stageDir } },
        target: { warehouse: { type: 'duckdb', path: duckdbFile }, ...options.targets },
      },
    },
  });
  const redis = createRedis(REDIS_URL, 'worker');
  await waitForRedis(redis, 5_000);
  const store = createJobStore(redis, prefix);
  const queues = new Map<string, Queue<QueueJobData>>();
  const queue = (l: string): Queue<QueueJobData> => {
    let q = queues.get(l);
    if (!q) {
      q = createQueue(l, { connection: redis, prefix });
      queues.set(l, q);
    }
    return q;
  };
  const cancelBus = createCancelBus(redis, () => createRedis(REDIS_URL, 'subscriber'), prefix);
  return {
    config,
    db,
    dir,
    stageDir,
    duckdbFile,
    redis,
    store,
    registry: createWorkerRegistry(redis, prefix),
    cancelBus,
    logger: createLogger('worker-test'),
    queue,
    async submit(input) {
      const spec = JobSpec.parse(input);
      const record = newJobRecord(spec);
      await store.create(record);
      await enqueueJob(queue(spec.affinity), record);
      return record.id;
    },
    async waitFor(id, done, timeoutMs = 45_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const record = await store.get(id);
        if (record && done(record)) return record;
        if (Date.now() > deadline)
          throw new Error(
            `job ${id} did not reach the expected state; last record: ${JSON.stringify(record)}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async cancel(id) {
      // What the gateway does for a running job.
      await store.update(id, { cancel_requested: true });
      await cancelBus.publish(id);
    },
    async dispose() {
      for (const q of queues.values()) await q.close();
      await redis.quit();
      await cleanupRedisPrefix(prefix);
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
