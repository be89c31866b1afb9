import { describe, expect, it } from 'vitest';
import { newWorkerId } from './worker-id.js';

describe('newWorkerId', () => {
  it('is host, pid and a short random suffix', () => {
    expect(newWorkerId('box-1', 42)).toMatch(/^box-1-42-[0-9a-f]{6}$/);
  });

  it('differs between calls and keeps unsafe host characters out', () => {
    expect(newWorkerId('a', 1)).not.toBe(newWorkerId('a', 1));
    expect(newWorkerId('we:ird host', 7)).toMatch(/^we_ird_host-7-/);
  });
});
