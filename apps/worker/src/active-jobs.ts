import { CancelledError, HandBackError } from '@dxa/errors';

/** Why a running job is being stopped; travels as the BullMQ abort reason. */
export const STOP_REASONS = { cancel: 'dxa:cancel', handBack: 'dxa:hand-back' } as const;
export type StopReason = (typeof STOP_REASONS)[keyof typeof STOP_REASONS];

/** The error a stopped job surfaces: connectors rethrow an Error abort reason as is. */
export function stopError(reason: unknown): Error {
  if (reason === STOP_REASONS.handBack)
    return new HandBackError('the worker is shutting down; the job goes back to the queue');
  if (reason instanceof Error && reason.name !== 'AbortError') return reason;
  return new CancelledError('cancelled on request');
}

type Entry = { stop(reason: StopReason): void };

/** Jobs running in this process, so cancel messages and shutdown can reach them. */
export class ActiveJobs {
  private readonly jobs = new Map<string, Entry>();

  add(jobId: string, entry: Entry): void {
    this.jobs.set(jobId, entry);
  }

  remove(jobId: string): void {
    this.jobs.delete(jobId);
  }

  ids(): string[] {
    return [...this.jobs.keys()].sort();
  }

  get size(): number {
    return this.jobs.size;
  }

  /** True when the job runs here and was told to stop. */
  stop(jobId: string, reason: StopReason): boolean {
    const entry = this.jobs.get(jobId);
    entry?.stop(reason);
    return entry !== undefined;
  }

  stopAll(reason: StopReason): void {
    for (const entry of this.jobs.values()) entry.stop(reason);
  }
}
