import { describe, expect, it } from 'vitest';
import type { JobView } from '@dxa/contracts';
import { jobSummary } from './format.js';

const base: JobView = {
  id: 'job-1',
  type: 'extract',
  state: 'active',
  affinity: 'blue',
  worker: 'w-1',
  attempts: 1,
  created_at: '2026-11-25T10:00:00.000Z',
  spec: {
    type: 'extract',
    affinity: 'blue',
    options: { file_size_mb: 128, partitions: 'auto' },
    source: { connection: 'pg', table: 'public.t' },
  },
};

const entry = (index: number, state: 'queued' | 'active' | 'completed', worker?: string, attempts = 1) => ({
  index,
  generation: 1,
  state,
  range: `id ≥ ${index * 100}`,
  attempts,
  rows: 10,
  bytes: 100,
  ...(worker ? { worker } : {}),
});

describe('dxa status', () => {
  it('says how many partitions are done, which workers run them, and how many were read again', () => {
    const text = jobSummary({
      ...base,
      partitions: [
        entry(0, 'completed', 'w-1', 2),
        entry(1, 'active', 'w-2'),
        entry(2, 'active', 'w-1'),
        entry(3, 'queued'),
      ],
    });
    expect(text).toContain(
      'partitions: 1 of 4 done, 2 running (w-2, w-1), 1 re-read after a failure or lost worker',
    );
  });

  it('shows how the table was split and whether it is one snapshot', () => {
    const text = jobSummary({
      ...base,
      state: 'completed',
      result: {
        extract: {
          rows: 40,
          files: [],
          format: 'csv',
          stage: { connection: 'local', path: 'p/' },
          manifest: 'p/_manifest.json',
          columns: [],
          partitions: {
            count: 4,
            method: 'pages',
            reason: 'no usable key; 4 page ranges',
            consistency: 'snapshot',
          },
        },
      },
    });
    expect(text).toContain('partitioning: no usable key; 4 page ranges (one snapshot)');
    expect(text).not.toContain('partitions:');
  });
});
