import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import { TERMINAL_STATES, type PartitionEntry } from '@dxa/contracts';
import { classifyError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { JobRecord } from '@dxa/queue';
import { STOP_REASONS, stopError } from '../../active-jobs.js';
import { controlJob, handBackToQueue } from '../../job-control.js';
import type { ProcessorDeps } from '../../processor.js';
import { openJobConnectors } from '../../services/job-connectors.js';
import { extractPartition } from './extract-slice.js';
import { PartitionJobData, type PartitionJobResult } from './partition-job.js';

export type PartitionProcessorDeps = Pick<
  ProcessorDeps,
  'workerId' | 'config' | 'logger' | 'store' | 'active' | 'metrics' | 'mask'
> & { bullWorker: () => Worker | undefined };

type EntryPatch = Partial<Omit<PartitionEntry, 'index' | 'generation'>>;
const PROGRESS_INTERVAL_MS = 1_000;
const now = (): string => new Date().toISOString();

/** Whether the parent still wants this partition: running, not cancelled, same planning. */
function stillWanted(parent: JobRecord | undefined, data: PartitionJobData): boolean {
  if (!parent || parent.cancel_requested || TERMINAL_STATES.includes(parent.state)) return false;
  return parent.partition_generation === data.generation;
}

/**
 * The processor of a label's partition queue: reads one slice, stages it, and records the outcome
 * in the parent's record (`partitions.<index>`), which the coordinating job follows.
 */
export function createPartitionProcessor(
  deps: PartitionProcessorDeps,
): (job: Job, token?: string, signal?: AbortSignal) => Promise<PartitionJobResult> {
  return async (job, token, bullSignal) => {
    const parsed = PartitionJobData.safeParse(job.data);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new UnrecoverableError(
        `invalid partition job: ${first?.path.join('.') ?? ''} ${first?.message ?? ''}`,
      );
    }
    const data = parsed.data;
    const log = deps.logger.child({ jobId: data.parent, partition: data.index, generation: data.generation });
    if (!stillWanted(await deps.store.get(data.parent), data)) {
      log.info('partition no longer needed (parent finished, cancelled or planned again); skipped');
      return { state: 'superseded', rows: 0 };
    }
    const update = (patch: EntryPatch) =>
      deps.store.updatePartition(data.parent, data.index, data.generation, patch);
    const id = job.id ?? '';
    const { controller, stop, unlink } = controlJob(id, deps.bullWorker, bullSignal);
    deps.active.add(id, { stop });
    const connectors = openJobConnectors(deps.config, log);
    const counted = { rows: 0, bytes: 0 };
    // Progress for the parent's view, and the parent's cancel or re-planning reaching this slice.
    const ticker = setInterval(() => {
      void (async () => {
        if (!stillWanted(await deps.store.get(data.parent), data)) stop(STOP_REASONS.cancel);
        else await update({ rows: counted.rows, bytes: counted.bytes });
      })().catch(() => undefined);
    }, PROGRESS_INTERVAL_MS);
    try {
      await update({
        state: 'active',
        worker: deps.workerId,
        attempts: job.attemptsStarted,
        started_at: now(),
        rows: 0,
        bytes: 0,
        error: undefined,
        finished_at: undefined,
      });
      log.info('partition started', { attempt: job.attemptsStarted, of: data.count });
      const files = await extractPartition({
        data,
        config: deps.config,
        connectors,
        signal: controller.signal,
        onProgress: (delta) => {
          counted.rows += delta.rows;
          counted.bytes += delta.bytes;
        },
      });
      clearInterval(ticker);
      const rows = files.reduce((sum, f) => sum + f.rows, 0);
      const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
      await update({ state: 'completed', rows, bytes, files, finished_at: now() });
      deps.metrics.rowsExtracted.inc(rows);
      log.info('partition completed', { rows, files: files.length });
      return { state: 'completed', rows };
    } catch (thrown) {
      clearInterval(ticker);
      const cause = controller.signal.aborted ? stopError(controller.signal.reason) : thrown;
      return await failPartition({ job, token, log, update, mask: deps.mask }, cause);
    } finally {
      clearInterval(ticker);
      unlink();
      deps.active.remove(id);
      await connectors.close();
    }
  };
}

type FailureScope = {
  job: Job;
  token: string | undefined;
  log: Logger;
  update: (patch: EntryPatch) => Promise<boolean>;
  mask: (text: string) => string;
};

/** Same rules as whole jobs (classifyError): retry transient failures within the job's attempts. */
async function failPartition(scope: FailureScope, cause: unknown): Promise<never> {
  const { job, log, update } = scope;
  const classified = classifyError(cause);
  if (classified.kind === 'hand-back') {
    // The worker is shutting down: another worker takes the slice under the same snapshot.
    await update({ state: 'queued' });
    log.info('partition handed back to the queue');
    return handBackToQueue(job, scope.token);
  }
  const message = scope.mask(classified.message);
  const error = { code: classified.code, message };
  const attemptsLeft = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
  if (classified.kind === 'transient' && attemptsLeft) {
    await update({ state: 'queued', error });
    log.warn('partition attempt failed; will retry', { code: error.code, error: message });
    throw new Error(message);
  }
  await update({
    state: classified.kind === 'cancelled' ? 'cancelled' : 'failed',
    error,
    finished_at: now(),
  });
  if (classified.kind === 'cancelled') log.info('partition cancelled');
  else log.error('partition failed', { code: error.code, error: message });
  throw new UnrecoverableError(message);
}
