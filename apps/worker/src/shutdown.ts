import type { Worker } from 'bullmq';
import type { Logger } from '@dxa/logger';
import { STOP_REASONS, type ActiveJobs } from './active-jobs.js';

/** How long handed-back jobs get to reach the queue after their signal fired. */
const HAND_BACK_GRACE_MS = 15_000;

/** Resolves true when `promise` settles within `ms`, false otherwise; never rejects. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stops taking jobs and waits for the running ones up to the deadline; BullMQ's close() has no
 * timeout, so it is raced. Jobs still running then are handed back: their processors move them
 * to wait and mark the records queued, which lets close() finish. (In BullMQ 6.7 a later
 * close(true) returns the pending close, so the hand-back is what bounds the wait.)
 */
export async function drainWorkers(
  workers: Worker[],
  active: ActiveJobs,
  deadlineMs: number,
  logger: Logger,
): Promise<void> {
  const closed = Promise.allSettled(workers.map((w) => w.close()));
  if (await settlesWithin(closed, deadlineMs)) return;
  logger.warn('shutdown deadline reached; handing running jobs back to the queue', {
    jobs: active.ids(),
    deadline_ms: deadlineMs,
  });
  active.stopAll(STOP_REASONS.handBack);
  if (await settlesWithin(closed, HAND_BACK_GRACE_MS)) return;
  // A connector that ignores its signal: its lock expires and the stalled check requeues the job.
  logger.error('running jobs did not stop after the hand-back; leaving them to the stalled-job check', {
    jobs: active.ids(),
  });
}
