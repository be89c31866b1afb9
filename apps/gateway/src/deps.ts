import type { DxaConfig } from '@dxa/config';
import type { Logger } from '@dxa/logger';
import {
  bullmqConnectionOptions,
  closeRedis,
  createCancelBus,
  createJobStore,
  createRedis,
  createWorkerRegistry,
  retryBackoffFrom,
  type CancelBus,
  type JobStore,
  type Redis,
  type WorkerRegistry,
} from '@dxa/queue';
import { createJobEventsHub, type JobEventsHub } from './services/job-events.js';
import { createMetrics, type GatewayMetrics } from './services/metrics.js';
import { createQueueRegistry, type QueueRegistry } from './services/queue-registry.js';
import { createJobService, type JobService } from './services/job-service.js';

/** Everything the Express app needs; tests build it against a unique Redis prefix. */
export type GatewayDeps = {
  config: DxaConfig;
  logger: Logger;
  /** Fail-fast producer connection shared by the store, registry, cancel bus and queues. */
  redis: Redis;
  store: JobStore;
  registry: WorkerRegistry;
  cancelBus: CancelBus;
  queues: QueueRegistry;
  hub: JobEventsHub;
  metrics: GatewayMetrics;
  jobs: JobService;
  /** Stop functions of open event streams, ended when the gateway closes. */
  streams: Set<() => void>;
  watch: { pollMs: number; keepAliveMs: number };
};

export type GatewayDepsOptions = { config: DxaConfig; logger: Logger; watch?: Partial<GatewayDeps['watch']> };

export function createGatewayDeps(options: GatewayDepsOptions): GatewayDeps {
  const { config, logger } = options;
  const { url, prefix } = config.redis;
  const redis = createRedis(url, 'producer');
  const store = createJobStore(redis, prefix);
  const registry = createWorkerRegistry(redis, prefix);
  const cancelBus = createCancelBus(redis, () => createRedis(url, 'subscriber'), prefix);
  const queues = createQueueRegistry({ redis, prefix, registry, labels: config.application.affinity });
  const hub = createJobEventsHub({
    connection: () => bullmqConnectionOptions(url, 'subscriber'),
    prefix,
    logger,
    redis,
  });
  const jobs = createJobService({
    store,
    registry,
    cancelBus,
    queues,
    configured: config,
    logger,
    retryBackoffMs: retryBackoffFrom(process.env),
  });
  return {
    config,
    logger,
    redis,
    store,
    registry,
    cancelBus,
    queues,
    hub,
    metrics: createMetrics(),
    jobs,
    streams: new Set(),
    watch: { pollMs: 1_000, keepAliveMs: 15_000, ...options.watch },
  };
}

/** Ends open streams, then closes queue connections and Redis. */
export async function closeGatewayDeps(deps: GatewayDeps): Promise<void> {
  for (const stop of [...deps.streams]) stop();
  deps.streams.clear();
  await Promise.allSettled([deps.hub.close(), deps.queues.close()]);
  await closeRedis(deps.redis);
}
