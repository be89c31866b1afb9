import { createQueue, type Queue, type QueueJobData, type Redis } from '@dxa/queue';
import type { WorkerRegistry } from '@dxa/queue';
import { withRedisTimeout } from './timeout.js';

export type RemoveOutcome = 'removed' | 'active' | 'finished' | 'missing';

/** Queues the gateway produces to, one per affinity label, created on first use. */
export type QueueRegistry = {
  queueFor(affinity: string): Promise<Queue<QueueJobData>>;
  /** Queues of the configured labels, of live workers' labels and of every queue used so far. */
  known(): Promise<Queue<QueueJobData>[]>;
  /** Removes a job that has not started; says what happened instead when it has. */
  removeIfWaiting(affinity: string, jobId: string): Promise<RemoveOutcome>;
  pauseAll(): Promise<void>;
  resumeAll(): Promise<void>;
  isHandling(): Promise<boolean>;
  counts(): Promise<{ waiting: number; completed: number }>;
  close(): Promise<void>;
};

export type QueueRegistryDeps = {
  redis: Redis;
  prefix: string;
  registry: WorkerRegistry;
  labels: readonly string[];
};

const WAITING_STATES = ['waiting', 'prioritized', 'delayed', 'waiting-children'] as const;

export function createQueueRegistry(deps: QueueRegistryDeps): QueueRegistry {
  const queues = new Map<string, Queue<QueueJobData>>();
  // Survives gateway restarts, so queues first used after `/stop` are paused too.
  const pausedKey = `${deps.prefix}:gateway:paused`;

  async function queueFor(affinity: string): Promise<Queue<QueueJobData>> {
    const existing = queues.get(affinity);
    if (existing) return existing;
    const queue = createQueue(affinity, { connection: deps.redis, prefix: deps.prefix });
    queues.set(affinity, queue);
    if ((await deps.redis.exists(pausedKey)) === 1) await withRedisTimeout(queue.pause(), 'pause queue');
    return queue;
  }

  async function known(): Promise<Queue<QueueJobData>[]> {
    const workers = await deps.registry.live();
    const labels = new Set([...deps.labels, ...queues.keys(), ...workers.flatMap((w) => w.affinities)]);
    return Promise.all([...labels].sort().map(queueFor));
  }

  async function removeIfWaiting(affinity: string, jobId: string): Promise<RemoveOutcome> {
    const queue = await queueFor(affinity);
    const job = await withRedisTimeout(queue.getJob(jobId), 'get job');
    if (!job) return 'missing';
    const state = await withRedisTimeout(job.getState(), 'job state');
    if (state === 'completed' || state === 'failed') return 'finished';
    if (state === 'active') return 'active';
    if (state === 'unknown') return 'missing';
    try {
      await withRedisTimeout(job.remove(), 'remove job');
      return 'removed';
    } catch (err) {
      // A worker locked it between the state read and the removal.
      if (err instanceof Error && /locked/i.test(err.message)) return 'active';
      throw err;
    }
  }

  return {
    queueFor,
    known,
    removeIfWaiting,
    async pauseAll() {
      await deps.redis.set(pausedKey, '1');
      for (const queue of await known()) await withRedisTimeout(queue.pause(), 'pause queue');
    },
    async resumeAll() {
      await deps.redis.del(pausedKey);
      for (const queue of await known()) await withRedisTimeout(queue.resume(), 'resume queue');
    },
    async isHandling() {
      return (await deps.redis.exists(pausedKey)) === 0;
    },
    async counts() {
      let waiting = 0;
      let completed = 0;
      for (const queue of await known()) {
        const c = await withRedisTimeout(queue.getJobCounts(...WAITING_STATES, 'completed'), 'job counts');
        waiting += WAITING_STATES.reduce((sum, s) => sum + (c[s] ?? 0), 0);
        completed += c.completed ?? 0;
      }
      return { waiting, completed };
    },
    async close() {
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}
