import { ValidationResult } from '@dxa/contracts';
import { describe, expect, it } from 'vitest';
import { buildValidation, countMismatchMessage } from './validation.js';

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
});
