import { availableParallelism, hostname } from 'node:os';
import type { Queue, Worker } from 'bullmq';
import { connectionNames, getConnection, type DxaConfig } from '@dxa/config';
import { loadConnectorModules } from '@dxa/connectors';
import { AffinityLabel, PRODUCT_VERSION, type WorkerInfo } from '@dxa/contracts';
import { coerceError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import {
  createCancelBus,
  createJobStore,
  createRedis,
  createWorkerRegistry,
  describeRedisUrl,
  waitForRedis,
  type Redis,
} from '@dxa/queue';
import { ActiveJobs, STOP_REASONS } from './active-jobs.js';
import { createBullWorker } from './bull-worker.js';
import { env, type WorkerTuning } from './env.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import { startHeartbeat, type Heartbeat } from './heartbeat.js';
import { createMasker } from './mask.js';
import { createWorkerMetrics, type WorkerMetrics } from './metrics.js';
import { drainWorkers, settlesWithin } from './shutdown.js';
import { createPartitionWorker, openPartitionQueue } from './extract/slice/partition-worker.js';
import { newWorkerId } from './worker-id.js';

export type StartWorkerOptions = {
  config: DxaConfig;
  logger: Logger;
  /** Labels to serve; default `application.affinity`. */
  affinities?: string[];
  /** Jobs at a time per label; default `application.workers`. */
  concurrency?: number;
  /**
   * Partitions (slices of a partitioned extract) at a time per label; default
   * DXA_PARTITION_CONCURRENCY, else the smaller of `concurrency` and the number of cores.
   */
  partitionConcurrency?: number;
  /** Port of /healthz, /readyz and /metrics on `server.host`; 0 or undefined: no health server. */
  healthPort?: number;
  /** Overrides the DXA_* environment tuning (tests use short intervals). */
  tuning?: Partial<WorkerTuning>;
};

export type WorkerHandle = {
  id: string;
  /** Stops taking jobs, waits for running ones up to the deadline, hands the rest back, releases everything. */
  close(deadlineMs?: number): Promise<void>;
};

const REDIS_READY_TIMEOUT_MS = 10_000;
const READY_PING_TIMEOUT_MS = 2_000;

type Settings = {
  id: string;
  affinities: string[];
  concurrency: number;
  partitionConcurrency: number;
  tuning: WorkerTuning;
  config: DxaConfig;
  logger: Logger;
};

/** What a running worker holds; `release` frees it in reverse order of acquisition. */
type Runtime = {
  settings: Settings;
  redis: Redis;
  active: ActiveJobs;
  metrics: WorkerMetrics;
  draining: boolean;
  /** The label queues' workers and the partition queues' workers. */
  workers: Worker[];
  partitionQueues: Queue[];
  unsubscribe?: () => Promise<void>;
  heartbeat?: Heartbeat;
  health?: HealthServer;
};

function settingsOf(options: StartWorkerOptions): Settings {
  const affinities = [...new Set(options.affinities ?? options.config.application.affinity)];
  if (affinities.length === 0) throw new Error('a worker needs at least one affinity label');
  for (const label of affinities) {
    const parsed = AffinityLabel.safeParse(label);
    if (!parsed.success)
      throw new Error(`affinity label "${label}" ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  }
  const id = newWorkerId();
  const concurrency = options.concurrency ?? options.config.application.workers;
  const tuning = { ...env, ...options.tuning };
  return {
    id,
    affinities,
    concurrency,
    // Each slice keeps a core busy (source read, encoding, compression): more than the cores only queues.
    partitionConcurrency:
      options.partitionConcurrency ??
      tuning.partitionConcurrency ??
      Math.min(concurrency, availableParallelism()),
    tuning,
    config: options.config,
    logger: options.logger.child({ worker: id }),
  };
}

async function connectRedis(config: DxaConfig): Promise<Redis> {
  const redis = createRedis(config.redis.url, 'worker');
  try {
    await waitForRedis(redis, REDIS_READY_TIMEOUT_MS);
  } catch {
    redis.disconnect();
    throw new Error(
      `Redis at ${describeRedisUrl(config.redis.url)} is not reachable (waited ${REDIS_READY_TIMEOUT_MS / 1000} s)`,
    );
  }
  return redis;
}

function workerInfo(rt: Runtime, startedAt: string): WorkerInfo {
  const { id, affinities, concurrency, config } = rt.settings;
  const names = connectionNames(config);
  return {
    id,
    host: hostname(),
    pid: process.pid,
    affinities,
    concurrency,
    active_jobs: rt.active.ids(),
    // `role:name`, so the gateway can tell a source from a target of the same name.
    connections: (['source', 'stage', 'target'] as const)
      .flatMap((role) => names[role].map((n) => `${role}:${n}`))
      .sort(),
    connection_kinds: Object.fromEntries(
      (['source', 'stage', 'target'] as const).flatMap((role) =>
        names[role].map((n) => [`${role}:${n}`, getConnection(config, role, n).type]),
      ),
    ),
    started_at: startedAt,
    last_heartbeat: new Date().toISOString(),
    version: PRODUCT_VERSION,
    draining: rt.draining,
  };
}

/** Redis reachable within a short bound (a worker client would otherwise queue the ping forever). */
async function pingRedis(redis: Redis): Promise<void> {
  const answered = redis.ping();
  if (!(await settlesWithin(answered, READY_PING_TIMEOUT_MS))) throw new Error('redis did not answer');
  await answered;
}

async function acquire(rt: Runtime, healthPort: number | undefined): Promise<void> {
  const { config, logger, id, concurrency, partitionConcurrency, tuning } = rt.settings;
  const prefix = config.redis.prefix;
  const store = createJobStore(rt.redis, prefix);
  const bus = createCancelBus(rt.redis, () => createRedis(config.redis.url, 'subscriber'), prefix);
  rt.unsubscribe = await bus.subscribe((jobId) => {
    if (rt.active.stop(jobId, STOP_REASONS.cancel)) logger.info('cancel requested', { jobId });
  });
  const deps = {
    workerId: id,
    config,
    logger,
    store,
    active: rt.active,
    metrics: rt.metrics,
    mask: createMasker(config),
  };
  const bullOptions = { connection: rt.redis, prefix, concurrency, tuning };
  const publishCancel = (jobId: string) => bus.publish(jobId);
  for (const label of rt.settings.affinities) {
    const partitionQueue = openPartitionQueue(label, rt.redis, prefix);
    rt.partitionQueues.push(partitionQueue);
    rt.workers.push(createBullWorker(label, { ...deps, partitionQueue, publishCancel }, bullOptions));
    rt.workers.push(
      createPartitionWorker(label, deps, { ...bullOptions, concurrency: partitionConcurrency }),
    );
  }
  const startedAt = new Date().toISOString();
  rt.heartbeat = startHeartbeat(
    createWorkerRegistry(rt.redis, prefix),
    tuning.heartbeatMs,
    () => workerInfo(rt, startedAt),
    logger,
  );
  await rt.heartbeat.beat();
  if (healthPort) {
    rt.health = await startHealthServer(config.server.host, healthPort, {
      ready: () => pingRedis(rt.redis),
      metrics: rt.metrics.registry,
    });
  }
}

async function release(rt: Runtime): Promise<void> {
  const { id, logger, config } = rt.settings;
  rt.heartbeat?.stop();
  await rt.unsubscribe?.().catch(() => undefined);
  await createWorkerRegistry(rt.redis, config.redis.prefix)
    .unregister(id)
    .catch((err: unknown) =>
      logger.warn('unregistering the worker failed', { error: coerceError(err).message }),
    );
  await rt.health?.close();
  await Promise.allSettled(rt.partitionQueues.map((q) => q.close()));
  await rt.redis.quit().catch(() => rt.redis.disconnect());
}

async function shutdown(rt: Runtime, deadlineMs: number): Promise<void> {
  rt.draining = true;
  // Tell the gateway at once that this worker takes no more jobs.
  await rt.heartbeat?.beat();
  await drainWorkers(rt.workers, rt.active, deadlineMs, rt.settings.logger);
  await release(rt);
  rt.settings.logger.info('worker stopped');
}

/** Starts one BullMQ worker per affinity label, the heartbeat, the cancel listener and the health server. */
export async function startWorker(options: StartWorkerOptions): Promise<WorkerHandle> {
  const settings = settingsOf(options);
  // Jobs build their connectors synchronously; only the kinds this configuration uses (and their SDKs) load.
  await loadConnectorModules(options.config);
  const rt: Runtime = {
    settings,
    redis: await connectRedis(options.config),
    active: new ActiveJobs(),
    metrics: createWorkerMetrics(),
    draining: false,
    workers: [],
    partitionQueues: [],
  };
  try {
    await acquire(rt, options.healthPort);
  } catch (err) {
    await Promise.allSettled(rt.workers.map((w) => w.close(true)));
    await release(rt);
    throw err;
  }
  const { affinities, concurrency, partitionConcurrency, logger, id } = settings;
  logger.info('worker started', {
    affinities,
    concurrency,
    partition_concurrency: partitionConcurrency,
    redis: describeRedisUrl(options.config.redis.url),
    health_port: rt.health?.port,
  });
  let closing: Promise<void> | undefined;
  const defaultDeadline = options.config.application.shutdown_timeout_seconds * 1000;
  return {
    id,
    close: (deadlineMs = defaultDeadline) => (closing ??= shutdown(rt, deadlineMs)),
  };
}
