import { describeKind, type SourceConnector } from '@dxa/connectors';
import type { ExtractPartitions, PartitionPlan } from '@dxa/contracts';
import type { ServiceContext } from '../../handlers/types.js';
import type { ExtractPlan } from './extract-plan.js';

/** Heap per partition when `partitions` is "auto" and the job does not say. */
export const DEFAULT_PARTITION_SIZE_MB = 256;
const MB = 1024 * 1024;

/**
 * How the source is read: in one piece (with the reason when partitions were asked), or as the
 * partitions of the source's proposal, which the coordinator hands to the workers of the label.
 */
export type ReadPlan =
  { kind: 'partitioned'; proposal: PartitionPlan } | { kind: 'single'; partitions?: ExtractPartitions };

/** What a source's description says of its reads, never assumed (a source without snapshots says `none`). */
export function readConsistency(
  source: SourceConnector,
): Pick<ExtractPartitions, 'consistency' | 'consistency_note'> {
  const declared = describeKind('source', source.kind);
  const consistency = declared?.role === 'source' ? declared.capabilities.consistency : 'none';
  if (consistency === 'snapshot') return { consistency: 'snapshot' };
  return {
    consistency: 'none',
    consistency_note:
      consistency === 'per_partition'
        ? `a ${source.kind} source reads each partition in its own snapshot, not the table as of one moment`
        : `a ${source.kind} source reads without a snapshot: rows changed during the read may be missed or seen twice`,
  };
}

function singleRead(source: SourceConnector, reason: string): ReadPlan {
  return { kind: 'single', partitions: { count: 1, method: 'single', reason, ...readConsistency(source) } };
}

/** Asks the source to plan partitions when the job wants them; one piece when it cannot split. */
export async function planRead(ctx: ServiceContext, plan: ExtractPlan): Promise<ReadPlan> {
  if (plan.partitions === undefined || plan.partitions === 1) return { kind: 'single' };
  const source = ctx.connectors.source(plan.source.connection);
  if (!source.planPartitions) return singleRead(source, `a ${source.kind} source is read in one piece`);
  ctx.step('plan');
  const targetBytes = (plan.partitionSizeMb ?? DEFAULT_PARTITION_SIZE_MB) * MB;
  const proposal = await source.planPartitions(
    plan.source,
    { requested: plan.partitions, targetBytes },
    { signal: ctx.signal },
  );
  if (proposal.bounds.length <= 1) return singleRead(source, proposal.reason);
  return { kind: 'partitioned', proposal };
}
