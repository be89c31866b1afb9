import { WaitingError, type Job, type Worker } from 'bullmq';
import { stopError, type StopReason } from './active-jobs.js';

/**
 * The abort controller of one running BullMQ job (a whole job or a partition): BullMQ's own signal
 * is linked to it, and `stop` goes through BullMQ when it tracks the job, so both signals agree.
 * `unlink` detaches BullMQ's signal when the attempt ends.
 */
export function controlJob(
  jobId: string,
  bullWorker: () => Worker | undefined,
  bullSignal: AbortSignal | undefined,
): { controller: AbortController; stop: (reason: StopReason) => void; unlink: () => void } {
  const controller = new AbortController();
  const stop = (reason: StopReason): void => {
    if (!bullWorker()?.cancelJob(jobId, reason)) controller.abort(stopError(reason));
  };
  if (!bullSignal) return { controller, stop, unlink: () => undefined };
  // Its reason becomes the error to surface (cancel or hand-back).
  const onAbort = (): void => controller.abort(stopError(bullSignal.reason));
  if (bullSignal.aborted) onAbort();
  else bullSignal.addEventListener('abort', onAbort, { once: true });
  return { controller, stop, unlink: () => bullSignal.removeEventListener('abort', onAbort) };
}

/** Puts a BullMQ job back in wait (another worker takes it) and tells BullMQ not to touch it. */
export async function handBackToQueue(job: Job, token: string | undefined): Promise<never> {
  if (token === undefined) throw new Error(`cannot hand back job ${job.id ?? ''} without its lock token`);
  await job.moveToWait(token);
  throw new WaitingError();
}
