import type { SourceDescription } from '@dxa/connectors';
import type { PartitionFile } from '@dxa/contracts';
import type { ServiceContext } from '../../handlers/types.js';
import { stageParts } from '../parts/stage-parts.js';
import { inScratchFolder, writePartsFrom } from '../parts/write-parts.js';
import type { ExtractPlan } from '../plan/extract-plan.js';
import { stagePrefixFor, workDirFor } from '../plan/stage-paths.js';

/**
 * Reads the source in one statement, writes its parts in a fresh local folder and stages them
 * into the job's stage folder, which is emptied first: every attempt starts from nothing.
 */
export async function readInOnePiece(
  ctx: ServiceContext,
  plan: ExtractPlan,
  description: SourceDescription,
): Promise<PartitionFile[]> {
  const stage = ctx.connectors.stage(plan.stageName);
  const source = ctx.connectors.source(plan.source.connection);
  const prefix = stagePrefixFor(plan.stagePath, ctx.jobId);
  const workDir = workDirFor(ctx.config.application.work_dir, ctx.jobId);
  ctx.step('prepare');
  return inScratchFolder(workDir, async () => {
    await stage.remove(prefix, { signal: ctx.signal });
    ctx.progress.startPhase('extract', description.estimatedRows);
    ctx.step('extract');
    const input = await source.extractCsv(plan.source, description.columns, { signal: ctx.signal });
    const written = await writePartsFrom(input, description.columns, {
      format: plan.format,
      fileSizeMb: plan.fileSizeMb,
      workDir,
      signal: ctx.signal,
      onProgress: (delta) => ctx.progress.add(delta),
    });
    const rows = written.reduce((sum, f) => sum + f.rows, 0);
    const bytes = written.reduce((sum, f) => sum + f.bytes, 0);
    await ctx.saveStep('extract', { rows, files: written.length, bytes });
    ctx.step('stage');
    return stageParts(stage, ctx.signal, prefix, written);
  });
}
