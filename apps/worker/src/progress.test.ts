import type { Progress } from '@dxa/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressReporter } from './progress.js';

function recorder() {
  const writes: Progress[] = [];
  const errors: unknown[] = [];
  let clock = 1_000_000;
  const reporter = new ProgressReporter({
    sink: (p) => {
      writes.push(p);
      return Promise.resolve();
    },
    onError: (err) => errors.push(err),
    now: () => clock,
  });
  const advance = async (ms: number) => {
    clock += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { reporter, writes, errors, advance };
}

describe('ProgressReporter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes a phase start at once and coalesces bursts into one write per interval', async () => {
    const { reporter, writes, advance } = recorder();
    reporter.startPhase('extract', 1000);
    await advance(0);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ phase: 'extract', rows: 0, total_rows_estimate: 1000 });
    for (let i = 0; i < 50; i++) reporter.add({ rows: 10, bytes: 100 });
    await advance(100);
    expect(writes).toHaveLength(1);
    await advance(400);
    expect(writes).toHaveLength(2);
    expect(writes[1]).toMatchObject({ rows: 500, bytes: 5000 });
  });

  it('computes rate and ETA from the phase start', async () => {
    const { reporter, writes, advance } = recorder();
    reporter.startPhase('extract', 1000);
    await advance(2000);
    reporter.add({ rows: 200, files: 1 });
    await reporter.endPhase();
    expect(writes.at(-1)).toMatchObject({ rows: 200, files: 1, rows_per_second: 100, eta_seconds: 8 });
  });

  it('writes the final state of a phase even inside the throttle window', async () => {
    const { reporter, writes, advance } = recorder();
    reporter.startPhase('load');
    await advance(0);
    reporter.set({ rows: 42 });
    await reporter.endPhase();
    expect(writes.at(-1)).toMatchObject({ phase: 'load', rows: 42 });
    expect(writes.at(-1)).not.toHaveProperty('eta_seconds');
  });

  it('reports failed writes without throwing and drops updates after close', async () => {
    const errors: unknown[] = [];
    const reporter = new ProgressReporter({
      sink: () => Promise.reject(new Error('redis down')),
      onError: (e) => errors.push(e),
    });
    reporter.startPhase('validate');
    await reporter.endPhase();
    expect(errors.length).toBeGreaterThan(0);
    await reporter.close();
    reporter.add({ rows: 1 });
    expect(reporter.snapshot()).toBeUndefined();
  });
});
