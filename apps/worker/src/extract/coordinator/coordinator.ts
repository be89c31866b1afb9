import type { HeldSnapshot, SourceDescription } from '@dxa/connectors';
import { describeBounds, type PartitionEntry, type PartitionPlan } from '@dxa/contracts';
import type { ServiceContext } from '../../handlers/types.js';
import type { ExtractedParts } from '../parts/finish-extract.js';
import type { ExtractPlan } from '../plan/extract-plan.js';
import { readConsistency } from '../plan/read-plan.js';
import { stagePrefixFor } from '../plan/stage-paths.js';
import type { PartitionJobData } from '../slice/partition-job.js';
import { childrenSettled, watchPartitions } from './watch-partitions.js';

/**
 * Runs the planned partitions as child jobs on the label's partition queue while this job holds
 * the source snapshot they all read through (when the source can share one), and releases it
 * once every partition has finished or the extract failed.
 */
export async function runCoordinator(
  ctx: ServiceContext,
  plan: ExtractPlan,
  description: SourceDescription,
  proposal: PartitionPlan,
): Promise<ExtractedParts> {
  const source = ctx.connectors.source(plan.source.connection);
  const snapshot = source.exportSnapshot ? await source.exportSnapshot({ signal: ctx.signal }) : undefined;
  try {
    return await runPartitions(ctx, plan, description, proposal, snapshot);
  } finally {
    await snapshot?.release();
  }
}

async function runPartitions(
  ctx: ServiceContext,
  plan: ExtractPlan,
  description: SourceDescription,
  proposal: PartitionPlan,
  snapshot: HeldSnapshot | undefined,
): Promise<ExtractedParts> {
  const count = proposal.bounds.length;
  const generation = ((await ctx.getJob(ctx.jobId))?.partition_generation ?? 0) + 1;
  const prefix = stagePrefixFor(plan.stagePath, ctx.jobId);
  ctx.step('prepare');
  // Files of earlier plannings (a lost coordinator) are of another snapshot: none is kept.
  await ctx.connectors.stage(plan.stageName).remove(prefix, { signal: ctx.signal });
  const entries: PartitionEntry[] = proposal.bounds.map((bounds, index) => ({
    index,
    generation,
    state: 'queued',
    range: describeBounds(bounds),
    attempts: 0,
    rows: 0,
    bytes: 0,
  }));
  const jobs: PartitionJobData[] = proposal.bounds.map((bounds, index) => ({
    parent: ctx.jobId,
    generation,
    index,
    count,
    source: plan.source,
    columns: description.columns,
    bounds,
    ...(snapshot ? { snapshot: snapshot.id } : {}),
    stage: { connection: plan.stageName, prefix },
    format: plan.format,
    fileSizeMb: plan.fileSizeMb,
  }));
  ctx.progress.startPhase('extract', proposal.estimatedRows ?? description.estimatedRows);
  ctx.step('extract');
  ctx.logger.info(`extracting in ${count} partitions`, {
    method: proposal.method,
    key: proposal.key,
    generation,
    snapshot: snapshot !== undefined,
  });
  await ctx.partitions.start(generation, entries, jobs);
  let finished: PartitionEntry[];
  try {
    finished = await watchPartitions(ctx, generation, count, snapshot);
  } catch (err) {
    await ctx.partitions
      .stop(generation, count)
      .catch((stopErr: unknown) =>
        ctx.logger.warn('could not stop every partition', { error: String(stopErr) }),
      );
    throw err;
  }
  await childrenSettled(ctx);
  const files = finished.flatMap((e) => e.files ?? []);
  const rows = files.reduce((sum, f) => sum + f.rows, 0);
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  await ctx.saveStep('extract', { rows, files: files.length, bytes });
  ctx.step('stage');
  const reread = finished.filter((e) => e.attempts > 1).map((e) => e.index);
  return {
    description,
    files,
    partitions: {
      count,
      method: proposal.method,
      ...(proposal.key ? { key: proposal.key } : {}),
      reason: proposal.reason,
      ...(snapshot
        ? { consistency: 'snapshot' as const }
        : {
            consistency: 'none' as const,
            // A source whose reads have no snapshot at all says so; else each partition had its own.
            consistency_note:
              readConsistency(ctx.connectors.source(plan.source.connection)).consistency_note ??
              'the source cannot share a snapshot: each partition read its own moment',
          }),
      ...(reread.length > 0 ? { reread } : {}),
    },
  };
}
