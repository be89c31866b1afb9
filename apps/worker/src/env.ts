import { WORKER_TTL_SECONDS } from '@dxa/queue';
import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Worker tuning from the environment; everything else comes from the configuration file. */
export const WorkerEnv = z.object({
  /** How long a job lock lives without renewal; BullMQ renews it at half this interval. */
  DXA_LOCK_DURATION_MS: positiveInt(30_000),
  /** How often a worker looks for jobs whose lock expired (their worker died) and requeues them. */
  DXA_STALLED_INTERVAL_MS: positiveInt(30_000),
  /** How many times a job may stall before BullMQ fails it instead of requeueing it. */
  DXA_MAX_STALLED_COUNT: z.coerce.number().int().min(0).default(3),
  /** How often the worker writes its registry entry (GET /v1/workers); well below the entry's TTL. */
  /** Partitions of a partitioned extract one worker runs at a time per label (default: min(jobs, cores)). */
  DXA_PARTITION_CONCURRENCY: z.coerce.number().int().positive().optional(),
  DXA_HEARTBEAT_MS: positiveInt(5_000).refine((ms) => ms * 2 <= WORKER_TTL_SECONDS * 1000, {
    message: `must be at most half the worker registry TTL (${WORKER_TTL_SECONDS} s), or live workers would vanish between beats`,
  }),
});
export type WorkerEnv = z.infer<typeof WorkerEnv>;

/** Worker tuning in the units the code uses. */
export type WorkerTuning = {
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  heartbeatMs: number;
  partitionConcurrency?: number | undefined;
};

export function tuningFrom(source: Record<string, string | undefined>): WorkerTuning {
  const parsed = WorkerEnv.parse(source);
  return {
    lockDurationMs: parsed.DXA_LOCK_DURATION_MS,
    stalledIntervalMs: parsed.DXA_STALLED_INTERVAL_MS,
    maxStalledCount: parsed.DXA_MAX_STALLED_COUNT,
    heartbeatMs: parsed.DXA_HEARTBEAT_MS,
    partitionConcurrency: parsed.DXA_PARTITION_CONCURRENCY,
  };
}

/** Parsed once, at first import. */
export const env: WorkerTuning = tuningFrom(process.env);
