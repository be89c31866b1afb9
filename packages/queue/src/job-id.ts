import { randomBytes } from 'node:crypto';

/**
 * A sortable, URL-safe job id: 10 base36 characters of milliseconds since the epoch (sorts by
 * creation time until the year 5188) followed by 12 random base64url characters.
 */
export function newJobId(now: number = Date.now()): string {
  return `${now.toString(36).padStart(10, '0')}${randomBytes(9).toString('base64url')}`;
}

export const JOB_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
