import type { JobError, JobState } from '@dxa/contracts';
import type { Classified } from '@dxa/errors';

/** The record fields a failed attempt changes. */
export type FailurePatch = { state: JobState; error?: JobError; finished_at?: string; retry_at?: string };

/**
 * What the processor does after a failed attempt:
 * - `unrecoverable`: record final, throw UnrecoverableError so BullMQ never retries;
 * - `retry`: record queued with `retry_at`, rethrow so BullMQ retries with backoff;
 * - `hand-back`: record queued, move the BullMQ job back to wait for another worker.
 */
export type FailurePlan = {
  action: 'unrecoverable' | 'retry' | 'hand-back';
  patch: FailurePatch;
  message: string;
};

export type BackoffSetting = number | { type: string; delay?: number } | undefined;

export type AttemptInfo = {
  /** Attempts finished before this one (BullMQ `attemptsMade`). */
  attemptsMade: number;
  maxAttempts: number;
  backoff: BackoffSetting;
};

/** BullMQ's built-in backoff (no jitter) for the attempt that just failed; undefined for custom strategies. */
export function retryDelayMs(backoff: BackoffSetting, attemptsMade: number): number | undefined {
  if (backoff === undefined) return 0;
  if (typeof backoff === 'number') return backoff;
  const delay = backoff.delay ?? 0;
  if (backoff.type === 'fixed') return delay;
  if (backoff.type === 'exponential') return Math.round(2 ** attemptsMade * delay);
  return undefined;
}

function jobError(c: Exclude<Classified, { kind: 'hand-back' }>, message: string): JobError {
  return { code: c.code, message, ...(c.step ? { step: c.step } : {}) };
}

/** A failure's message leads with its step (`step load: target connection "pg" (postgresql): loading part-00002.csv.gz into t: …`). */
function withStepPrefix(c: Classified, message: string): string {
  return c.kind !== 'hand-back' && c.kind !== 'cancelled' && c.step ? `step ${c.step}: ${message}` : message;
}

/** Pure decision from a classified failure; `mask` removes secrets from the message. */
export function planFailure(
  classified: Classified,
  attempt: AttemptInfo,
  now: Date,
  mask: (text: string) => string,
): FailurePlan {
  const message = withStepPrefix(classified, mask(classified.message));
  const finished_at = now.toISOString();
  switch (classified.kind) {
    case 'hand-back':
      return { action: 'hand-back', patch: { state: 'queued' }, message };
    case 'cancelled':
      return {
        action: 'unrecoverable',
        patch: { state: 'cancelled', finished_at, error: jobError(classified, message) },
        message,
      };
    case 'terminal':
      return {
        action: 'unrecoverable',
        patch: { state: 'failed', finished_at, error: jobError(classified, message) },
        message,
      };
    case 'transient': {
      if (attempt.attemptsMade + 1 >= attempt.maxAttempts) {
        return {
          action: 'unrecoverable',
          patch: { state: 'failed', finished_at, error: jobError(classified, message) },
          message,
        };
      }
      const delay = retryDelayMs(attempt.backoff, attempt.attemptsMade);
      const retry_at = delay === undefined ? undefined : new Date(now.getTime() + delay).toISOString();
      return {
        action: 'retry',
        patch: { state: 'queued', error: jobError(classified, message), ...(retry_at ? { retry_at } : {}) },
        message,
      };
    }
  }
}
