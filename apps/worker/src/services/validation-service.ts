import { sourceRelation, type DestinationConnector, type SourceConnector } from '@dxa/connectors';
import type { SourceRef, ValidationResult, ValidationSpec } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { runValidation, type ValidationEndpoint } from '@dxa/validation';
import type { ServiceContext } from '../handlers/types.js';
import { buildValidation, failureMessage, withCount } from './validation.js';
import { publishReports, type ReportDestination } from './validation-reports.js';
import { asValidateStepError } from './validate-step-error.js';

export type ValidationPlan = {
  source: SourceRef;
  target: { connection: string; table: string };
  validation: Pick<ValidationSpec, 'levels' | 'key'>;
  /** Rows the extract handed over (migrate): the count check then never reads the source again. */
  extractedRows?: number;
  reports: ReportDestination;
};

type DeepRun = { source: ValidationEndpoint; target: ValidationEndpoint };

/** Why schema/metrics/rows cannot run on this pair, or both endpoints when they can. */
function deepRun(source: SourceConnector, target: DestinationConnector): DeepRun | string {
  if (!source.validationEndpoint) return `not available for a ${source.kind} source`;
  if (!target.validationEndpoint) return `not available for a ${target.kind} target`;
  return { source: source.validationEndpoint(), target: target.validationEndpoint() };
}

async function runDeep(
  ctx: ServiceContext,
  plan: ValidationPlan,
  run: DeepRun,
  counted: { source?: number; target: number },
): Promise<ValidationResult> {
  const { signal } = ctx;
  // The selection or query, not SQL: each side's engine names it and its dialect renders it.
  const sourceSide = { endpoint: run.source, relation: sourceRelation(plan.source) };
  const targetSide = { endpoint: run.target, relation: { table: plan.target.table } };
  // The job's key, else the source's declared key; else runValidation takes the source's
  // primary key (when it has one and the selection keeps it).
  const key = plan.validation.key ?? plan.source.key;
  const report = await runValidation(sourceSide, targetSide, {
    // Counts are the worker's own check (a migrate compares with the extract, not the source).
    levels: plan.validation.levels.filter((level) => level !== 'count'),
    ...(key === undefined ? {} : { key }),
    // Rows sizes its buckets from the counts; the worker just took them (a migrate's source count is
    // the extract's, so the live source is still counted there).
    knownCounts: counted,
    signal,
    onProgress: (progress) => {
      if (progress.rows !== undefined) ctx.progress.set({ rows: progress.rows });
    },
  });
  const locations = await publishReports(ctx, report, plan.reports);
  return { ...report.result, report: locations };
}

/**
 * Checks the copy at the requested levels, records the result, and fails the job with
 * VALIDATION_FAILED (the report attached) when any level found a difference, or with the validate
 * step's own codes when validation could not run (see asValidateStepError).
 */
export async function runValidationStep(
  ctx: ServiceContext,
  plan: ValidationPlan,
): Promise<ValidationResult> {
  ctx.step('validate');
  try {
    return await validate(ctx, plan);
  } catch (err) {
    throw asValidateStepError(err);
  }
}

async function validate(ctx: ServiceContext, plan: ValidationPlan): Promise<ValidationResult> {
  ctx.progress.startPhase('validate');
  const { levels } = plan.validation;
  const source = ctx.connectors.source(plan.source.connection);
  const destination = ctx.connectors.destination(plan.target.connection);
  const sourceRows = plan.extractedRows ?? (await source.count(plan.source, { signal: ctx.signal }));
  const targetRows = await destination.count(plan.target.table, { signal: ctx.signal });
  const counted = buildValidation(levels, sourceRows, targetRows);
  let validation = counted;
  if (levels.some((level) => level !== 'count')) {
    const run = deepRun(source, destination);
    if (typeof run === 'string') validation = buildValidation(levels, sourceRows, targetRows, run);
    else {
      try {
        const known = {
          ...(plan.extractedRows === undefined ? { source: sourceRows } : {}),
          target: targetRows,
        };
        validation = withCount(await runDeep(ctx, plan, run, known), counted);
      } finally {
        await Promise.allSettled([run.source.close(), run.target.close()]);
      }
    }
  }
  ctx.progress.set({ rows: targetRows });
  await ctx.progress.endPhase();
  await ctx.saveResult({ validation });
  await ctx.saveStep('validate', { validation: validation.status });
  if (validation.status === 'failed') {
    throw new TerminalError('VALIDATION_FAILED', failureMessage(plan.target.table, validation), {
      step: 'validate',
    });
  }
  return validation;
}
