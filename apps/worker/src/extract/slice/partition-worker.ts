import { Queue, Worker } from 'bullmq';
import { partitionQueueNameFor } from '@dxa/contracts';
import type { Redis } from '@dxa/queue';
import { bullWorkerSettings, stalledTooOften, type BullWorkerOptions } from '../../bull-worker.js';
import { createPartitionProcessor, type PartitionProcessorDeps } from './partition-processor.js';
import { PartitionJobData, type PartitionJobResult } from './partition-job.js';

/** The label's partition queue, for a coordinator to add children to. */
export function openPartitionQueue(affinity: string, connection: Redis, prefix: string): Queue {
  const queue = new Queue(partitionQueueNameFor(affinity), { connection, prefix });
  queue.on('error', () => undefined); // the worker on the same connection logs connection errors
  return queue;
}

/** The BullMQ worker of one label's partition queue. */
export function createPartitionWorker(
  affinity: string,
  deps: Omit<PartitionProcessorDeps, 'bullWorker'>,
  options: BullWorkerOptions,
): Worker<unknown, PartitionJobResult> {
  const queue = partitionQueueNameFor(affinity);
  const holder: { worker?: Worker<unknown, PartitionJobResult> } = {};
  const processor = createPartitionProcessor({ ...deps, bullWorker: () => holder.worker });
  const worker = new Worker<unknown, PartitionJobResult>(queue, processor, bullWorkerSettings(options));
  worker.on('error', (err: Error) =>
    deps.logger.warn('partition queue worker error', { queue, error: deps.mask(err.message) }),
  );
  worker.on('stalled', (jobId: string) =>
    deps.logger.warn('partition stalled (its worker stopped); requeued for another worker', { queue, jobId }),
  );
  // A partition that stalled too often never reaches the processor: close its entry here.
  worker.on('failed', (job, err) => {
    // BullMQ failed a partition that stalled too often without calling the processor.
    if (!job || !stalledTooOften(err)) return;
    const parsed = PartitionJobData.safeParse(job.data);
    if (!parsed.success) return;
    const { parent, index, generation } = parsed.data;
    const message = `the workers running this partition stopped ${job.attemptsStarted} times in a row; giving up`;
    void deps.store
      .updatePartition(parent, index, generation, {
        state: 'failed',
        error: { code: 'WORKER_LOST', message },
        finished_at: new Date().toISOString(),
      })
      .catch(() => undefined);
  });
  holder.worker = worker;
  return worker;
}
