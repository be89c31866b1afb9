import { discardStagedOnCancel } from '../extract/parts/cancel-cleanup.js';
import { extractPlanOf } from '../extract/plan/extract-plan.js';
import { stagePrefixFor } from '../extract/plan/stage-paths.js';
import { runExtract } from '../extract/run-extract.js';
import type { Handler } from './types.js';

export const extract: Handler<'extract'> = async (ctx) => {
  const plan = extractPlanOf(ctx);
  const stage = ctx.connectors.stage(plan.stageName);
  // runExtract records the result and the extract and stage steps as they finish.
  await discardStagedOnCancel(ctx, stage, stagePrefixFor(plan.stagePath, ctx.jobId), () =>
    runExtract(ctx, plan),
  );
};
