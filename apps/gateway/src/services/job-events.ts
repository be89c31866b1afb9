import { queueNameFor } from '@dxa/contracts';
import { createQueueEvents, type ConnectionOptions, type QueueEvents, type Redis } from '@dxa/queue';
import type { Logger } from '@dxa/logger';

export type JobEventListener = {
  progress(data: unknown): void;
  /** BullMQ says the job completed, failed an attempt or was removed: time to re-read the record. */
  changed(): void;
};

/** One BullMQ QueueEvents per queue, shared by every SSE client of that queue. */
export type JobEventsHub = {
  subscribe(affinity: string, jobId: string, listener: JobEventListener): Promise<() => void>;
  close(): Promise<void>;
};

type Entry = { events: QueueEvents; listeners: Map<string, Set<JobEventListener>> };

export type JobEventsHubOptions = {
  connection: () => ConnectionOptions;
  prefix: string;
  logger: Logger;
  /** Reads where the queue's event stream ends now (see `startId`). */
  redis: Redis;
};

/**
 * QueueEvents reads from "$" once its blocking connection is up, so events published while it
 * connects would be lost; starting after the stream's current last entry catches them.
 */
async function startId(redis: Redis, prefix: string, affinity: string): Promise<string> {
  const last = await redis.xrevrange(`${prefix}:${queueNameFor(affinity)}:events`, '+', '-', 'COUNT', 1);
  return last[0]?.[0] ?? '0-0';
}

export function createJobEventsHub(options: JobEventsHubOptions): JobEventsHub {
  const entries = new Map<string, Promise<Entry>>();

  function dispatch(entry: Entry, jobId: string, call: (l: JobEventListener) => void): void {
    for (const listener of entry.listeners.get(jobId) ?? []) {
      try {
        call(listener);
      } catch (err) {
        options.logger.warn('job event listener failed', { job: jobId, error: String(err) });
      }
    }
  }

  async function createEntry(affinity: string): Promise<Entry> {
    const lastEventId = await startId(options.redis, options.prefix, affinity);
    const events = createQueueEvents(affinity, {
      connection: options.connection(),
      prefix: options.prefix,
      lastEventId,
    });
    const entry: Entry = { events, listeners: new Map() };
    events.on('progress', ({ jobId, data }) => dispatch(entry, jobId, (l) => l.progress(data)));
    for (const name of ['completed', 'failed', 'removed'] as const) {
      events.on(name, ({ jobId }: { jobId: string }) => dispatch(entry, jobId, (l) => l.changed()));
    }
    return entry;
  }

  function entryFor(affinity: string): Promise<Entry> {
    const existing = entries.get(affinity);
    if (existing) return existing;
    const created = createEntry(affinity);
    entries.set(affinity, created);
    created.catch(() => entries.delete(affinity)); // Redis was down: try again with the next client
    return created;
  }

  return {
    async subscribe(affinity, jobId, listener) {
      const entry = await entryFor(affinity);
      const set = entry.listeners.get(jobId) ?? new Set();
      set.add(listener);
      entry.listeners.set(jobId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0 && entry.listeners.get(jobId) === set) entry.listeners.delete(jobId);
      };
    },
    async close() {
      const settled = await Promise.allSettled(entries.values());
      entries.clear();
      const open = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.events] : []));
      await Promise.allSettled(open.map((events) => events.close()));
    },
  };
}
