import { randomBytes } from 'node:crypto';
import { queueNameFor, type JobSpec } from '@dxa/contracts';
import type { JobRecord } from './api.js';

/**
 * A sortable, URL-safe job id: 10 base36 characters of milliseconds since the epoch (sorts by
 * creation time until the year 5188) followed by 12 random base64url characters.
 */
export function newJobId(now: number = Date.now()): string {
  return `${now.toString(36).padStart(10, '0')}${randomBytes(9).toString('base64url')}`;
}

export const JOB_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/** The record of a job that was just accepted: queued on the queue of its affinity. */
export function newJobRecord(spec: JobSpec): JobRecord {
  return {
    id: newJobId(),
    spec,
    state: 'queued',
    queue: queueNameFor(spec.affinity),
    attempts: 0,
    created_at: new Date().toISOString(),
  };
}
