import { Worker } from 'bullmq';
import { queueNameFor } from '@dxa/contracts';
import type { QueueJobData, Redis } from '@dxa/queue';
import type { WorkerTuning } from './env.js';
import { createProcessor, type ProcessorDeps, type ProcessorResult } from './processor.js';

export type BullWorkerOptions = {
  /**
   * A worker-role client used as a template: a BullMQ worker blocks on its connections, so it
   * duplicates the client (twice) and owns and closes the duplicates.
   */
  connection: Redis;
  prefix: string;
  concurrency: number;
  tuning: WorkerTuning;
};

export type QueueWorker = Worker<QueueJobData, ProcessorResult>;

/** The BullMQ worker of one affinity label's queue. */
export function createBullWorker(
  affinity: string,
  deps: Omit<ProcessorDeps, 'affinity' | 'bullWorker'>,
  options: BullWorkerOptions,
): QueueWorker {
  const queue = queueNameFor(affinity);
  const holder: { worker?: QueueWorker } = {};
  // The processor asks for its worker only once a job arrives, long after construction.
  const processor = createProcessor({ ...deps, affinity, bullWorker: () => holder.worker });
  const worker: QueueWorker = new Worker<QueueJobData, ProcessorResult>(queue, processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.tuning.lockDurationMs,
    stalledInterval: options.tuning.stalledIntervalMs,
    maxStalledCount: options.tuning.maxStalledCount,
  });
  // Without an 'error' listener a connection hiccup would crash the process.
  worker.on('error', (err: Error) =>
    deps.logger.warn('queue worker error', { queue, error: deps.mask(err.message) }),
  );
  worker.on('stalled', (jobId: string) =>
    deps.logger.warn('job stalled; requeued for another attempt', { queue, jobId }),
  );
  holder.worker = worker;
  return worker;
}
