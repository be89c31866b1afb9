import { describe, expect, it } from 'vitest';
import { JobView, type WorkerInfo } from '@dxa/contracts';
import type { JobRecord } from './api.js';
import { toJobView } from './job-view.js';

const worker = (affinities: string[], draining = false): WorkerInfo => ({
  id: `w-${affinities.join('-')}`,
  host: 'h',
  pid: 1,
  affinities,
  concurrency: 1,
  active_jobs: [],
  connections: [],
  started_at: '2030-01-01T00:00:00.000Z',
  last_heartbeat: '2030-01-01T00:00:00.000Z',
  version: '0.1.0',
  draining,
});

const record = (overrides: Partial<JobRecord> = {}): JobRecord => ({
  id: 'job-1',
  spec: {
    type: 'extract',
    affinity: 'blue',
    name: 'orders nightly',
    options: { file_size_mb: 128 },
    source: { connection: 'pg_main', table: 'public.orders' },
  },
  state: 'queued',
  queue: 'exchange.blue',
  attempts: 0,
  created_at: '2030-01-01T00:00:00.000Z',
  ...overrides,
});

describe('toJobView', () => {
  it('says when no live worker serves the label', () => {
    expect(toJobView(record(), []).waiting_for).toBe('worker with affinity blue');
    expect(toJobView(record(), [worker(['green'])]).waiting_for).toBe('worker with affinity blue');
    expect(toJobView(record(), [worker(['blue'], true)]).waiting_for).toBe('worker with affinity blue');
  });

  it('says when a retry is pending', () => {
    const retryAt = new Date(Date.now() + 60_000).toISOString();
    expect(toJobView(record({ retry_at: retryAt }), [worker(['blue'])]).waiting_for).toBe(
      `retry at ${retryAt}`,
    );
  });

  it('otherwise waits for a free slot', () => {
    expect(toJobView(record(), [worker(['green', 'blue'])]).waiting_for).toBe(
      'a free slot on a worker with affinity blue',
    );
  });

  it('has no waiting_for once the job runs, and no internal fields', () => {
    const view = toJobView(
      record({ state: 'active', worker: 'w1', cancel_requested: true, retry_at: 'x' }),
      [],
    );
    expect(view.waiting_for).toBeUndefined();
    expect(view).not.toHaveProperty('queue');
    expect(view).not.toHaveProperty('cancel_requested');
    expect(view).not.toHaveProperty('retry_at');
    expect(view).toMatchObject({
      id: 'job-1',
      type: 'extract',
      name: 'orders nightly',
      affinity: 'blue',
      worker: 'w1',
      state: 'active',
    });
  });

  it('matches the JobView schema without undefined keys', () => {
    const view = toJobView(record(), []);
    expect(JobView.parse(view)).toEqual(view);
    expect(Object.values(view)).not.toContain(undefined);
  });

  it('shows the finished steps, and the schema keeps them', () => {
    const steps = {
      stage: {
        status: 'completed' as const,
        finished_at: '2030-01-01T00:00:00.000Z',
        attempt: 1,
        connection: 'local',
        manifest: 'job-1/_manifest.json',
        rows: 10,
        files: 2,
        bytes: 300,
      },
    };
    const view = toJobView(record({ state: 'active', steps }), []);
    expect(view.steps).toEqual(steps);
    expect(JobView.parse(view).steps).toEqual(steps);
  });
});
