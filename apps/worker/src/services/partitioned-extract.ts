import { setTimeout as sleep } from 'node:timers/promises';
import type { HeldSnapshot, SourceDescription } from '@dxa/connectors';
import {
  describeBounds,
  type ExtractPartitions,
  type PartitionEntry,
  type PartitionPlan,
} from '@dxa/contracts';
import { JOB_ERROR_CODES, TerminalError, TransientError, type JobErrorCode } from '@dxa/errors';
import type { ServiceContext } from '../handlers/types.js';
import type { PartitionJobData } from '../partitions/partition-job.js';
import type { ExtractPlan, ExtractedParts } from './extract-service.js';
import { stagePrefixFor } from './stage-paths.js';

/** Heap per partition when `partitions` is "auto" and the job does not say. */
export const DEFAULT_PARTITION_SIZE_MB = 256;
const MB = 1024 * 1024;
const POLL_MS = 500;
/** A child's BullMQ job finishes moments after its entry says completed; never wait forever. */
const CHILDREN_SETTLE_MS = 60_000;

export type PartitionOutcome =
  { kind: 'partitioned'; parts: ExtractedParts } | { kind: 'single'; partitions?: ExtractPartitions };

function singleRead(reason: string): PartitionOutcome {
  // One REPEATABLE READ statement: the rows are of one moment by construction.
  return { kind: 'single', partitions: { count: 1, method: 'single', reason, consistency: 'snapshot' } };
}

function errorCodeOf(code: string): JobErrorCode {
  return (JOB_ERROR_CODES as readonly string[]).includes(code) ? (code as JobErrorCode) : 'INTERNAL';
}

/**
 * Plans the partitions and, when there are several, runs them as child jobs on the label's
 * partition queue while this job holds the source snapshot they all read through. Returns
 * `single` when the source is to be read in one piece (with the reason when partitions were asked).
 */
export async function runPartitionedExtract(
  ctx: ServiceContext,
  plan: ExtractPlan,
  description: SourceDescription,
): Promise<PartitionOutcome> {
  if (plan.partitions === undefined || plan.partitions === 1) return { kind: 'single' };
  const source = ctx.connectors.source(plan.source.connection);
  if (!source.planPartitions) return singleRead(`a ${source.kind} source is read in one piece`);
  ctx.step('plan');
  const targetBytes = (plan.partitionSizeMb ?? DEFAULT_PARTITION_SIZE_MB) * MB;
  const proposal = await source.planPartitions(
    plan.source,
    { requested: plan.partitions, targetBytes },
    { signal: ctx.signal },
  );
  if (proposal.bounds.length <= 1) return singleRead(proposal.reason);
  const snapshot = source.exportSnapshot ? await source.exportSnapshot({ signal: ctx.signal }) : undefined;
  try {
    const parts = await runPartitions(ctx, plan, description, proposal, snapshot);
    return { kind: 'partitioned', parts };
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
            consistency_note: 'the source cannot share a snapshot: each partition read its own moment',
          }),
      ...(reread.length > 0 ? { reread } : {}),
    },
  };
}

/** Follows the partition entries until all completed; fails on the first failed one. */
async function watchPartitions(
  ctx: ServiceContext,
  generation: number,
  count: number,
  snapshot: HeldSnapshot | undefined,
): Promise<PartitionEntry[]> {
  for (;;) {
    ctx.signal.throwIfAborted();
    const record = await ctx.getJob(ctx.jobId);
    if (!record) throw new TerminalError('INTERNAL', 'the job record disappeared while partitions ran');
    const current = Object.values(record.partitions ?? {})
      .filter((e) => e.generation === generation)
      .sort((a, b) => a.index - b.index);
    const sum = (pick: (e: PartitionEntry) => number) => current.reduce((total, e) => total + pick(e), 0);
    ctx.progress.set({
      rows: sum((e) => e.rows),
      bytes: sum((e) => e.bytes),
      files: sum((e) => e.files?.length ?? 0),
    });
    const failed = current.find((e) => e.state === 'failed' || e.state === 'cancelled');
    if (failed) {
      const error = failed.error ?? { code: 'INTERNAL', message: `partition ${failed.state}` };
      throw new TerminalError(
        errorCodeOf(error.code),
        `partition ${failed.index + 1} of ${count} (${failed.range}): ${error.message}`,
        { step: 'extract' },
      );
    }
    if (current.length === count && current.every((e) => e.state === 'completed')) return current;
    if (snapshot && !snapshot.alive()) {
      throw new TransientError(
        'SNAPSHOT_LOST',
        'the source session holding the extract snapshot ended before every partition was read; the extract starts again on a new snapshot',
        { step: 'extract' },
      );
    }
    await sleep(POLL_MS, undefined, { signal: ctx.signal });
  }
}

/** The parent may only complete once BullMQ has finished each child job too. */
async function childrenSettled(ctx: ServiceContext): Promise<void> {
  const deadline = Date.now() + CHILDREN_SETTLE_MS;
  while ((await ctx.partitions.unfinished()) > 0) {
    if (Date.now() > deadline)
      throw new TransientError(
        'INTERNAL',
        'partition jobs did not finish in the queue after their work was done',
      );
    await sleep(100, undefined, { signal: ctx.signal });
  }
}
