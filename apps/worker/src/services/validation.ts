import type { ValidationLevel, ValidationResult } from '@dxa/contracts';

const NOT_AVAILABLE = 'not available in this version';

/**
 * The validation result from the row counts. Count is always checked; other requested levels are
 * reported as skipped rather than silently passed.
 */
export function buildValidation(
  levels: readonly ValidationLevel[],
  sourceRows: number,
  targetRows: number,
): ValidationResult {
  const countStatus = sourceRows === targetRows ? 'passed' : 'failed';
  const result: ValidationResult = {
    status: countStatus,
    count: { status: countStatus, source_rows: sourceRows, target_rows: targetRows },
  };
  const skipped = { status: 'skipped' as const, differences: [], reason: NOT_AVAILABLE };
  if (levels.includes('schema')) result.schema = skipped;
  if (levels.includes('metrics')) result.metrics = skipped;
  if (levels.includes('rows'))
    result.rows = { ...skipped, source_rows: sourceRows, target_rows: targetRows, truncated: false };
  return result;
}

export function countMismatchMessage(table: string, result: ValidationResult): string {
  const count = result.count;
  return `validation failed for ${table}: source has ${count?.source_rows ?? '?'} rows, target has ${count?.target_rows ?? '?'}`;
}
