import type { ExtractResult } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { discardStagedOnCancel } from '../extract/parts/cancel-cleanup.js';
import { extractPlanOf, type ExtractPlan } from '../extract/plan/extract-plan.js';
import { refuseUnsupportedPairing } from '../extract/plan/pairing.js';
import { committedLoad, priorWork, reusableStage, type PriorWork } from '../extract/plan/resume.js';
import { stagePrefixFor } from '../extract/plan/stage-paths.js';
import { runExtract } from '../extract/run-extract.js';
import { runLoad } from '../services/load-service.js';
import { runValidationStep } from '../services/validation-service.js';
import type { Handler, JobContext } from './types.js';

/** Mode "create" must not touch an existing table: fail before spending time on the extract. */
async function refuseExistingTarget(ctx: JobContext<'migrate'>): Promise<void> {
  const { target } = ctx.spec;
  if (target.mode !== 'create') return;
  ctx.step('check-target');
  const exists = await ctx.connectors
    .destination(target.connection)
    .tableExists(target.table, { signal: ctx.signal });
  if (exists) {
    throw new TerminalError(
      'TARGET_EXISTS',
      `target table ${target.table} already exists and mode is "create"; use "replace", "append" or "truncate"`,
      {
        step: 'check-target',
      },
    );
  }
}

/**
 * Extract (or re-use what an earlier attempt staged and that still verifies), then load. Returns
 * the extract the load used, whose row count the check compares against.
 */
async function extractAndLoad(
  ctx: JobContext<'migrate'>,
  plan: ExtractPlan,
  prior: PriorWork,
): Promise<ExtractResult> {
  const { target } = ctx.spec;
  const committed = committedLoad(ctx, prior);
  if (committed && prior.extract) {
    await ctx.saveResult({ load: committed });
    return prior.extract;
  }
  const reused = await reusableStage(ctx, plan, prior);
  const extracted = reused?.extract ?? (await runExtract(ctx, plan));
  const loaded = await runLoad(ctx, {
    stageName: plan.stageName,
    manifestPath: extracted.manifest,
    table: target.table,
    mode: target.mode,
    targetConnection: target.connection,
    ...(reused ? { verified: reused.verified } : {}),
  });
  await ctx.saveResult({ load: loaded });
  return extracted;
}

export const migrate: Handler<'migrate'> = async (ctx) => {
  const { spec } = ctx;
  const plan = extractPlanOf(ctx);
  const stage = ctx.connectors.stage(plan.stageName);
  refuseUnsupportedPairing(ctx, spec.target.connection, stage.kind, plan.format);
  const prior = await priorWork(ctx);
  // Once an earlier attempt's load committed, the table it created is this job's own.
  if (!prior.steps.load) await refuseExistingTarget(ctx);
  // Staged files outlive a failed attempt (the retry re-uses them); only a cancel discards them.
  await discardStagedOnCancel(ctx, stage, stagePrefixFor(plan.stagePath, ctx.jobId), async () => {
    const extracted = await extractAndLoad(ctx, plan, prior);
    await runValidationStep(ctx, {
      source: spec.source,
      target: spec.target,
      validation: spec.validation ?? { levels: ['count'] },
      // The rows the extract handed over: the count check never reads the source again.
      extractedRows: extracted.rows,
      // Reports go next to the manifest the load used.
      reports: { stage, prefix: stagePrefixFor(plan.stagePath, ctx.jobId) },
    });
  });
};
