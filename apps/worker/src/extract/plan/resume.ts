import type { ExtractResult, JobSteps, LoadResult } from '@dxa/contracts';
import { coerceError } from '@dxa/errors';
import type { ServiceContext } from '../../handlers/types.js';
import { verifyStaged, type VerifiedStage } from '../parts/staged-files.js';
import type { ExtractPlan } from './extract-plan.js';
import { manifestPathFor, stagePrefixFor } from './stage-paths.js';

/** What earlier attempts of this job finished, as its record says. */
export type PriorWork = { steps: JobSteps; extract: ExtractResult | undefined };

export async function priorWork(ctx: ServiceContext): Promise<PriorWork> {
  const record = await ctx.getJob(ctx.jobId);
  return { steps: record?.steps ?? {}, extract: record?.result?.extract };
}

export type ReusedStage = { extract: ExtractResult; verified: VerifiedStage };

/** Why the staged files of an earlier attempt are not this job's to re-use, or undefined. */
function mismatch(ctx: ServiceContext, plan: ExtractPlan, prior: PriorWork): string | undefined {
  const staged = prior.steps.stage;
  if (!staged) return 'no earlier attempt finished staging';
  if (!prior.extract) return 'the record has no extract result';
  const manifest = manifestPathFor(stagePrefixFor(plan.stagePath, ctx.jobId));
  if (staged.connection !== plan.stageName || staged.manifest !== manifest) {
    return `the staged files are in ${staged.connection}:${staged.manifest}, not where this job stages`;
  }
  if (prior.extract.manifest !== staged.manifest) return 'the extract result names another manifest';
  return undefined;
}

/**
 * The files an earlier attempt staged, when its stage step finished and every part still matches
 * the manifest: the retry loads them and never opens the source. Undefined (with the reason
 * logged) when anything is off; the caller then extracts again.
 */
export async function reusableStage(
  ctx: ServiceContext,
  plan: ExtractPlan,
  prior: PriorWork,
): Promise<ReusedStage | undefined> {
  const why = mismatch(ctx, plan, prior);
  const staged = prior.steps.stage;
  const extract = prior.extract;
  if (why !== undefined || !staged || !extract) {
    if (prior.steps.stage || ctx.attempt > 1) ctx.logger.info('extracting from the source', { reason: why });
    return undefined;
  }
  ctx.step('verify-staged');
  try {
    const verified = await verifyStaged(ctx, ctx.connectors.stage(plan.stageName), staged.manifest);
    if (verified.manifest.rows !== extract.rows) {
      throw new Error(`the manifest lists ${verified.manifest.rows} rows, the extract ${extract.rows}`);
    }
    ctx.logger.info(`re-using ${verified.files.length} staged files from attempt ${staged.attempt}`, {
      manifest: staged.manifest,
      rows: extract.rows,
    });
    // The extract phase is done; show it as such before the load starts.
    ctx.progress.startPhase('extract', extract.rows);
    ctx.progress.set({ rows: extract.rows, files: staged.files, bytes: staged.bytes });
    await ctx.progress.endPhase();
    return { extract, verified };
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.logger.warn('the staged files of an earlier attempt cannot be re-used; extracting again', {
      reason: coerceError(err).message,
    });
    return undefined;
  }
}

/** The result of a load an earlier attempt committed, so a retry never loads the files twice. */
export function committedLoad(ctx: ServiceContext, prior: PriorWork): LoadResult | undefined {
  const step = prior.steps.load;
  if (!step) return undefined;
  ctx.logger.info(`the load committed in attempt ${step.attempt}; not loading again`, {
    table: step.table,
    rows: step.rows,
  });
  return { rows: step.rows, table: step.table, mode: step.mode };
}
