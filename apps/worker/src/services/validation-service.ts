import type { ValidationLevel, ValidationResult } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { ServiceContext } from '../handlers/types.js';
import { buildValidation, countMismatchMessage } from './validation.js';

export type CountCheck = {
  /** Rows the source has (a count query) or handed over (the extract). */
  sourceRows: () => Promise<number>;
  targetConnection: string;
  table: string;
  levels: readonly ValidationLevel[];
};

/** Compares row counts, records the validation, and fails the job with VALIDATION_FAILED on a mismatch. */
export async function runCountCheck(ctx: ServiceContext, check: CountCheck): Promise<ValidationResult> {
  ctx.step('validate');
  ctx.progress.startPhase('validate');
  const destination = ctx.connectors.destination(check.targetConnection);
  const sourceRows = await check.sourceRows();
  const targetRows = await destination.count(check.table, { signal: ctx.signal });
  const validation = buildValidation(check.levels, sourceRows, targetRows);
  ctx.progress.set({ rows: targetRows });
  await ctx.progress.endPhase();
  await ctx.saveResult({ validation });
  await ctx.saveStep('validate', { validation: validation.status });
  if (validation.status === 'failed') {
    throw new TerminalError('VALIDATION_FAILED', countMismatchMessage(check.table, validation), {
      step: 'validate',
    });
  }
  return validation;
}
