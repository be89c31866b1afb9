import { Job, type Queue } from 'bullmq';
import { KEEP_FINISHED_JOBS_SECONDS, type JobStore } from '@dxa/queue';
import type { Logger } from '@dxa/logger';
import type { PartitionDispatch } from '../../handlers/types.js';
import { PARTITION_JOB_NAME, partitionJobId, type PartitionJobData } from '../slice/partition-job.js';

export type PartitionDispatchDeps = {
  /** The parent's BullMQ job (the coordinator holding the snapshot). */
  parent: Job;
  /** The label's partition queue. */
  queue: Queue;
  store: JobStore;
  /** Tells whichever worker runs a job to stop it (the cancel bus). */
  publishCancel: (jobId: string) => Promise<void>;
  logger: Logger;
};

/** More than any planning has (256 partitions) times a few re-plannings. */
const MAX_CHILDREN_LISTED = 10_000;
const WAITING_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/** The job id at the end of a BullMQ key `<prefix>:<queue>:<id>` (ids hold no colon). */
function idOfKey(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

/**
 * Partitions as BullMQ child jobs of the parent (a flow): the parent stays active, holding the
 * snapshot, while any worker of the label takes the children from the partition queue. A failed
 * child leaves the parent's dependencies (the parent decides what its failure means).
 */
export function createPartitionDispatch(deps: PartitionDispatchDeps): PartitionDispatch {
  const { parent, queue, store, logger } = deps;
  const parentId = parent.id ?? '';

  /** Children of earlier plannings: detached from the parent so it can complete, and stopped. */
  async function detachEarlierChildren(generation: number): Promise<void> {
    const { unprocessed = [] } = await parent.getDependencies({
      unprocessed: { count: MAX_CHILDREN_LISTED },
    });
    for (const key of unprocessed) {
      const id = idOfKey(key);
      if (id.startsWith(`${parentId}-g${generation}-`)) continue;
      const child = await Job.fromId(queue, id);
      await deps.publishCancel(id);
      if (!child) continue;
      await child.removeChildDependency();
      if (WAITING_STATES.has(await child.getState())) await child.remove().catch(() => undefined);
      logger.info('detached a partition of an earlier planning', { partitionJob: id });
    }
  }

  return {
    async start(generation, entries, jobs) {
      await detachEarlierChildren(generation);
      await store.startPartitions(parentId, generation, entries);
      await queue.addBulk(
        jobs.map((data: PartitionJobData) => ({
          name: PARTITION_JOB_NAME,
          data,
          opts: {
            jobId: partitionJobId(data),
            parent: { id: parentId, queue: parent.queueQualifiedName },
            attempts: parent.opts.attempts ?? 1,
            ...(parent.opts.backoff === undefined ? {} : { backoff: parent.opts.backoff }),
            removeDependencyOnFailure: true,
            removeOnComplete: { age: KEEP_FINISHED_JOBS_SECONDS },
            removeOnFail: { age: KEEP_FINISHED_JOBS_SECONDS },
          },
        })),
      );
    },

    async unfinished() {
      const counts = await parent.getDependenciesCount({ unprocessed: true });
      return counts.unprocessed ?? 0;
    },

    async stop(generation, count) {
      for (let index = 0; index < count; index++) {
        const id = partitionJobId({ parent: parentId, generation, index });
        await deps.publishCancel(id);
        const child = await Job.fromId(queue, id);
        if (child && WAITING_STATES.has(await child.getState())) {
          await child.removeChildDependency().catch(() => false);
          await child.remove().catch(() => undefined);
        }
      }
    },
  };
}
