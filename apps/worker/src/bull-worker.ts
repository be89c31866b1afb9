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

/** BullMQ's reason when a job stalled more often than maxStalledCount; it never reaches our processor. */
const STALLED_TOO_OFTEN = /stalled more than allowable limit/;

export function stalledTooOften(err: Error): boolean {
  return STALLED_TOO_OFTEN.test(err.message);
}

/** The BullMQ worker settings every queue of a worker process shares. */
export function bullWorkerSettings(options: BullWorkerOptions) {
  return {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.tuning.lockDurationMs,
    stalledInterval: options.tuning.stalledIntervalMs,
    maxStalledCount: options.tuning.maxStalledCount,
  };
}

/**
 * A job that stalled too often is failed by BullMQ when a worker next picks it up, without calling
 * the processor, so its record would stay "active" forever: close it here.
 */
async function recordStalledFailure(
  deps: Pick<ProcessorDeps, 'store' | 'logger'>,
  jobId: string,
  attempts: number,
  err: Error,
): Promise<void> {
  if (!stalledTooOften(err)) return;
  try {
    const record = await deps.store.get(jobId);
    if (!record || record.state === 'completed' || record.state === 'failed' || record.state === 'cancelled')
      return;
    const message = `the worker running this job stopped or lost its lock ${attempts} times in a row; giving up`;
    await deps.store.update(jobId, {
      state: 'failed',
      finished_at: new Date().toISOString(),
      error: { code: 'WORKER_LOST', message },
    });
    deps.logger.error('job failed: it stalled too often', { jobId, attempts });
  } catch (storeErr) {
    deps.logger.warn('could not record a stalled job as failed', { jobId, error: String(storeErr) });
  }
}

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
  const worker: QueueWorker = new Worker<QueueJobData, ProcessorResult>(
    queue,
    processor,
    bullWorkerSettings(options),
  );
  // Without an 'error' listener a connection hiccup would crash the process.
  worker.on('error', (err: Error) =>
    deps.logger.warn('queue worker error', { queue, error: deps.mask(err.message) }),
  );
  worker.on('stalled', (jobId: string) =>
    deps.logger.warn('job stalled; requeued for another attempt', { queue, jobId }),
  );
  worker.on('failed', (job, err) => {
    if (job?.id !== undefined) void recordStalledFailure(deps, job.id, job.attemptsStarted, err);
  });
  holder.worker = worker;
  return worker;
}
