import { setTimeout as sleep } from 'node:timers/promises';
import type { HeldSnapshot } from '@dxa/connectors';
import type { PartitionEntry } from '@dxa/contracts';
import { JOB_ERROR_CODES, TerminalError, TransientError, type JobErrorCode } from '@dxa/errors';
import type { ServiceContext } from '../../handlers/types.js';

const POLL_MS = 500;
/** A child's BullMQ job finishes moments after its entry says completed; never wait forever. */
const CHILDREN_SETTLE_MS = 60_000;

function errorCodeOf(code: string): JobErrorCode {
  return (JOB_ERROR_CODES as readonly string[]).includes(code) ? (code as JobErrorCode) : 'INTERNAL';
}

/** Follows the partition entries until all completed; fails on the first failed one. */
export async function watchPartitions(
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
export async function childrenSettled(ctx: ServiceContext): Promise<void> {
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
