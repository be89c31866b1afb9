import type { SourceConnector } from '@dxa/connectors';
import { describe, expect, it } from 'vitest';
import { readConsistency } from './read-plan.js';

const sourceOf = (kind: string) => ({ kind }) as SourceConnector;

describe('readConsistency: what the source describes, never assumed', () => {
  it('is one snapshot for sources that declare it', () => {
    expect(readConsistency(sourceOf('postgresql'))).toEqual({ consistency: 'snapshot' });
    expect(readConsistency(sourceOf('mysql'))).toEqual({ consistency: 'snapshot' });
  });

  it('says why for a source without snapshots, and for a kind no connector declares', () => {
    expect(readConsistency(sourceOf('teradata'))).toEqual({
      consistency: 'none',
      consistency_note: expect.stringContaining('a teradata source reads without a snapshot') as unknown,
    });
    expect(readConsistency(sourceOf('unheard_of')).consistency).toBe('none');
  });
});
