import { ValidationResult } from '@dxa/contracts';
import { describe, expect, it } from 'vitest';
import { buildValidation, countMismatchMessage, failureMessage, withCount } from './validation.js';

describe('buildValidation', () => {
  it('passes on equal counts and reports unavailable levels as skipped', () => {
    const result = buildValidation(['count', 'schema', 'rows'], 10, 10);
    expect(ValidationResult.parse(result)).toEqual(result);
    expect(result.status).toBe('passed');
    expect(result.count).toEqual({ status: 'passed', source_rows: 10, target_rows: 10 });
    expect(result.schema).toEqual({
      status: 'skipped',
      differences: [],
      reason: 'not available in this version',
    });
    expect(result.rows).toMatchObject({
      status: 'skipped',
      source_rows: 10,
      target_rows: 10,
      truncated: false,
    });
    expect(result.metrics).toBeUndefined();
  });

  it('fails on different counts and says so', () => {
    const result = buildValidation(['count'], 10, 7);
    expect(result.status).toBe('failed');
    expect(result.count?.status).toBe('failed');
    expect(countMismatchMessage('t', result)).toBe(
      'validation failed for t: source has 10 rows, target has 7',
    );
  });

  it('puts the count in front of the deeper levels and fails when either failed', () => {
    const counted = buildValidation(['count'], 3, 3);
    const deep = {
      status: 'failed' as const,
      rows: {
        status: 'failed' as const,
        differences: [{ key: { id: 2 }, kind: 'mismatch', columns: ['a'] }],
        source_rows: 3,
        target_rows: 3,
        truncated: false,
      },
    };
    const merged = withCount(deep, counted);
    expect(merged.status).toBe('failed');
    expect(merged.count).toEqual({ status: 'passed', source_rows: 3, target_rows: 3 });
    expect(failureMessage('t', merged)).toBe('validation failed for t: rows: 1 difference');
    expect(withCount({ status: 'passed' }, buildValidation(['count'], 3, 2)).status).toBe('failed');
  });
});
