import { describe, expect, it } from 'vitest';
import { JOB_ID_PATTERN, newJobId } from './job-id.js';

describe('newJobId', () => {
  it('is URL-safe and unique', () => {
    const ids = Array.from({ length: 1000 }, () => newJobId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(JOB_ID_PATTERN);
  });

  it('sorts by creation time', () => {
    const times = [1, 1_000, 1_700_000_000_000, 1_800_000_000_000, 4_000_000_000_000];
    const ids = times.map((t) => newJobId(t));
    expect([...ids].sort()).toEqual(ids);
  });
});
