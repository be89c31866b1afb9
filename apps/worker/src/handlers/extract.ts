import { defaultStageName } from '@dxa/config';
import { discardStagedOnCancel } from '../services/cancel-cleanup.js';
import { runExtract, type ExtractPlan } from '../services/extract-service.js';
import { stagePrefixFor } from '../services/stage-paths.js';
import type { Handler, JobContext } from './types.js';

/** Where and how an extract or migrate job stages its files, with the configured defaults filled in. */
export function extractPlanOf(ctx: JobContext<'extract' | 'migrate'>): ExtractPlan {
  const { spec, config } = ctx;
  return {
    source: spec.source,
    stageName: spec.stage?.connection ?? defaultStageName(config),
    stagePath: spec.stage?.path,
    format: spec.format ?? config.defaults.format,
    fileSizeMb: spec.options.file_size_mb,
    partitions: spec.options.partitions,
    partitionSizeMb: spec.options.partition_size_mb,
  };
}

export const extract: Handler<'extract'> = async (ctx) => {
  const plan = extractPlanOf(ctx);
  const stage = ctx.connectors.stage(plan.stageName);
  // runExtract records the result and the extract and stage steps as they finish.
  await discardStagedOnCancel(ctx, stage, stagePrefixFor(plan.stagePath, ctx.jobId), () =>
    runExtract(ctx, plan),
  );
};
