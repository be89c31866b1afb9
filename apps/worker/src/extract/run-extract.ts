import type { ExtractResult } from '@dxa/contracts';
import type { ServiceContext } from '../handlers/types.js';
import { runCoordinator } from './coordinator/coordinator.js';
import { finishExtract } from './parts/finish-extract.js';
import type { ExtractPlan } from './plan/extract-plan.js';
import { planRead } from './plan/read-plan.js';
import { readInOnePiece } from './single-read/single-read.js';

/**
 * Source → part files → stage → manifest, in one piece or, with `options.partitions`, as
 * partitions any worker of the label may take. Every attempt starts from empty folders.
 */
export async function runExtract(ctx: ServiceContext, plan: ExtractPlan): Promise<ExtractResult> {
  const source = ctx.connectors.source(plan.source.connection);
  ctx.step('describe');
  const description = await source.describe(plan.source, { signal: ctx.signal });
  const read = await planRead(ctx, plan);
  if (read.kind === 'partitioned') {
    return finishExtract(ctx, plan, await runCoordinator(ctx, plan, description, read.proposal));
  }
  const files = await readInOnePiece(ctx, plan, description);
  const partitions = read.partitions;
  return finishExtract(ctx, plan, { description, files, ...(partitions ? { partitions } : {}) });
}
