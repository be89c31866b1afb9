import type { ValidationLevel, ValidationResult } from '@dxa/contracts';

export const NOT_AVAILABLE = 'not available in this version';

/**
 * The validation result from the row counts. Count is always checked; other requested levels are
 * reported as skipped (with `reason`) rather than silently passed.
 */
export function buildValidation(
  levels: readonly ValidationLevel[],
  sourceRows: number,
  targetRows: number,
  reason = NOT_AVAILABLE,
): ValidationResult {
  const countStatus = sourceRows === targetRows ? 'passed' : 'failed';
  const result: ValidationResult = {
    status: countStatus,
    count: { status: countStatus, source_rows: sourceRows, target_rows: targetRows },
  };
  const skipped = { status: 'skipped' as const, differences: [], reason };
  if (levels.includes('schema')) result.schema = skipped;
  if (levels.includes('metrics')) result.metrics = skipped;
  if (levels.includes('rows'))
    result.rows = { ...skipped, source_rows: sourceRows, target_rows: targetRows, truncated: false };
  return result;
}

/** The deeper levels' result with the count check (from `counted`) in front; failed when either failed. */
export function withCount(deep: ValidationResult, counted: ValidationResult): ValidationResult {
  const failed = counted.status === 'failed' || deep.status === 'failed';
  const result: ValidationResult = { ...deep, status: failed ? 'failed' : 'passed' };
  if (counted.count) result.count = counted.count;
  return result;
}

export function countMismatchMessage(table: string, result: ValidationResult): string {
  const count = result.count;
  return `validation failed for ${table}: source has ${count?.source_rows ?? '?'} rows, target has ${count?.target_rows ?? '?'}`;
}

/** One line naming every failed level and how many differences it found. */
export function failureMessage(table: string, result: ValidationResult): string {
  if (result.count?.status === 'failed') return countMismatchMessage(table, result);
  const failed = (['schema', 'metrics', 'rows'] as const).flatMap((level) => {
    const outcome = result[level];
    if (outcome?.status !== 'failed') return [];
    const n = outcome.differences.length;
    const more = level === 'rows' && result.rows?.truncated ? ' or more' : '';
    return [`${level}: ${n}${more} difference${n === 1 && !more ? '' : 's'}`];
  });
  return `validation failed for ${table}: ${failed.join('; ') || 'differences found'}`;
}
