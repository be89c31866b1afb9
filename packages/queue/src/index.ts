export * from './api.js';
export {
  createRedis,
  closeRedis,
  bullmqConnectionOptions,
  redisOptionsFor,
  describeRedisUrl,
  isRedisUnavailableError,
  waitForRedis,
} from './redis.js';
export type { Redis, RedisRole, RoleRedisOptions } from './redis.js';
export { createJobStore, TERMINAL_RECORD_TTL_SECONDS, MAX_LIST_LIMIT } from './job-store.js';
export { createWorkerRegistry, WORKER_TTL_SECONDS } from './worker-registry.js';
export { createCancelBus } from './cancel-bus.js';
export {
  createQueue,
  createQueueEvents,
  enqueueJob,
  retryBackoffFrom,
  KEEP_FINISHED_JOBS_SECONDS,
} from './queues.js';
export type { EnqueueOptions, QueueJobData, QueueOptions } from './queues.js';
export type { Queue, QueueEvents, Job, ConnectionOptions } from 'bullmq';
export { toJobView, waitingFor } from './job-view.js';
export { newJobId, newJobRecord, JOB_ID_PATTERN } from './job-id.js';
