import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { jobCatalog, queueNameFor, type JobSpec } from '@dxa/contracts';
import { createLogger } from '@dxa/logger';
import type { JobRecord } from './api.js';

/** Finished BullMQ jobs are kept as long as job records (seconds). */
export const KEEP_FINISHED_JOBS_SECONDS = 7 * 24 * 60 * 60;

/** What a BullMQ job carries: the parsed spec, which names connections but never holds secrets. */
export type QueueJobData = { spec: JobSpec };

/** `prefix` is the configured Redis prefix; BullMQ keys become `<prefix>:<queue name>:…`. */
export type QueueOptions = { connection: ConnectionOptions; prefix: string };

const log = createLogger('queue');

// Queue and QueueEvents re-emit connection errors; an EventEmitter without an 'error' listener
// would crash the process, so errors are logged here (without the connection URL).
// While Redis is down the same error repeats on every reconnect attempt: log it once.
function errorLogger(name: string): (err: Error) => void {
  let last = '';
  return (err) => {
    if (err.message === last) return;
    last = err.message;
    log.warn('queue connection error', { queue: name, error: err.message });
  };
}

export function createQueue(affinity: string, options: QueueOptions): Queue<QueueJobData> {
  const name = queueNameFor(affinity);
  const queue = new Queue<QueueJobData>(name, { connection: options.connection, prefix: options.prefix });
  queue.on('error', errorLogger(name));
  return queue;
}

/** One QueueEvents per queue (it holds a blocking connection); share it between listeners. */
export function createQueueEvents(
  affinity: string,
  options: QueueOptions & { lastEventId?: string },
): QueueEvents {
  const name = queueNameFor(affinity);
  const { connection, prefix, lastEventId } = options;
  const events = new QueueEvents(name, { connection, prefix, ...(lastEventId ? { lastEventId } : {}) });
  events.on('error', errorLogger(name));
  return events;
}

/** How the producer overrides the catalog's retry policy (`DXA_RETRY_BACKOFF_MS`). */
export type EnqueueOptions = { retryBackoffMs?: number | undefined };

/**
 * The first retry delay from `DXA_RETRY_BACKOFF_MS` (later ones double), or undefined to keep the
 * catalog's. A value that is not a positive integer is refused rather than silently ignored.
 */
export function retryBackoffFrom(env: Record<string, string | undefined>): number | undefined {
  const raw = env.DXA_RETRY_BACKOFF_MS;
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new Error(`DXA_RETRY_BACKOFF_MS must be a positive whole number of milliseconds, not "${raw}"`);
  return ms;
}

/** Puts a job record's work item on its queue; retries and backoff come from the job catalog. */
export async function enqueueJob(
  queue: Queue<QueueJobData>,
  record: JobRecord,
  options: EnqueueOptions = {},
): Promise<void> {
  const entry = jobCatalog[record.spec.type];
  await queue.add(
    record.spec.type,
    { spec: record.spec },
    {
      jobId: record.id,
      attempts: entry.attempts,
      backoff: { type: 'exponential', delay: options.retryBackoffMs ?? entry.backoffMs },
      removeOnComplete: { age: KEEP_FINISHED_JOBS_SECONDS },
      removeOnFail: { age: KEEP_FINISHED_JOBS_SECONDS },
    },
  );
}
