import { describe, expect, it } from 'vitest';
import { tuningFrom } from './env.js';

describe('worker env', () => {
  it('uses the documented defaults', () => {
    expect(tuningFrom({})).toEqual({
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 3,
      heartbeatMs: 5_000,
    });
  });

  it('coerces numbers from strings', () => {
    const tuning = tuningFrom({
      DXA_LOCK_DURATION_MS: '1000',
      DXA_MAX_STALLED_COUNT: '0',
      DXA_HEARTBEAT_MS: '250',
    });
    expect(tuning).toMatchObject({ lockDurationMs: 1000, maxStalledCount: 0, heartbeatMs: 250 });
  });

  it('rejects values that are not positive integers', () => {
    expect(() => tuningFrom({ DXA_HEARTBEAT_MS: '0' })).toThrow(/DXA_HEARTBEAT_MS/);
    expect(() => tuningFrom({ DXA_LOCK_DURATION_MS: 'soon' })).toThrow(/DXA_LOCK_DURATION_MS/);
    expect(() => tuningFrom({ DXA_HEARTBEAT_MS: '60000' })).toThrow(/registry TTL/);
  });
});
