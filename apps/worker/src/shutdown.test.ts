import { describe, expect, it } from 'vitest';
import { settlesWithin } from './shutdown.js';

describe('settlesWithin', () => {
  it('is true for a promise that settles (either way) in time and false for one that does not', async () => {
    expect(await settlesWithin(Promise.resolve(1), 1000)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error('x')), 1000)).toBe(true);
    expect(await settlesWithin(new Promise(() => undefined), 10)).toBe(false);
  });
});
