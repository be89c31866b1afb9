import { TERMINAL_STATES, type JobSpec, type JobState, type JobView } from '@dxa/contracts';
import { AppError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import {
  JOB_ID_PATTERN,
  enqueueJob,
  newJobRecord,
  toJobView,
  type CancelBus,
  type JobRecord,
  type JobStore,
  type WorkerRegistry,
} from '@dxa/queue';
import { checkConnections } from './connection-check.js';
import { checkRunnable, knownConnections, type GatewayConnections } from './pairing-check.js';
import type { QueueRegistry } from './queue-registry.js';
import { parseJobSpec } from './spec-validation.js';
import { withRedisTimeout } from './timeout.js';

export type JobServiceDeps = {
  store: JobStore;
  registry: WorkerRegistry;
  cancelBus: CancelBus;
  queues: QueueRegistry;
  /** The gateway's own connections and defaults (workers may hold more; they advertise them). */
  configured: GatewayConnections;
  logger: Logger;
  /** Overrides the catalog's first retry delay (`DXA_RETRY_BACKOFF_MS`). */
  retryBackoffMs?: number | undefined;
};

export type SubmitResult = { id: string; state: JobState; affinity: string };
export type CancelResult = { accepted: boolean; view: JobView };
export type ListFilter = { state?: JobState | undefined; affinity?: string | undefined; limit: number };

export type JobService = {
  /** Validates, records and enqueues a job; nothing is left behind when any step fails. */
  submit(body: unknown): Promise<SubmitResult>;
  record(id: string): Promise<JobRecord>;
  view(id: string): Promise<JobView>;
  list(filter: ListFilter): Promise<JobView[]>;
  /** Queued: removed and cancelled at once. Active: the worker is asked to stop (`accepted`). */
  cancel(id: string): Promise<CancelResult>;
};

export function createJobService(deps: JobServiceDeps): JobService {
  const { store, registry, queues } = deps;

  async function record(id: string): Promise<JobRecord> {
    const found = JOB_ID_PATTERN.test(id) ? await store.get(id) : undefined;
    if (!found) throw new AppError('NOT_FOUND', `no job with id "${id.slice(0, 100)}"`);
    return found;
  }

  /** Best effort: the enqueue may have landed after its timeout, so remove the BullMQ job too. */
  async function undoSubmit(rec: JobRecord): Promise<void> {
    await store.remove(rec.id).catch((err: unknown) =>
      deps.logger.error('could not remove the record of a job that failed to enqueue', {
        job: rec.id,
        error: String(err),
      }),
    );
    const removeJob = queues.queueFor(rec.spec.affinity).then((q) => q.remove(rec.id));
    await withRedisTimeout(removeJob, 'undo enqueue', 1_000).catch(() => undefined);
  }

  /** A load names the extract it loads; refusing an unknown one now beats a failed job later. */
  async function checkFromJob(spec: JobSpec): Promise<JobSpec | undefined> {
    if (spec.type !== 'load') return undefined;
    const from = await store.get(spec.from_job);
    const problem = !from
      ? `no job ${spec.from_job}`
      : from.spec.type !== 'extract' && from.spec.type !== 'migrate'
        ? `job ${spec.from_job} is a ${from.spec.type} job, not an extract`
        : undefined;
    if (problem) {
      throw new AppError('VALIDATION_FAILED', `from_job: ${problem}`, [
        { path: 'from_job', message: problem },
      ]);
    }
    return from?.spec;
  }

  async function submit(body: unknown): Promise<SubmitResult> {
    const spec = parseJobSpec(body);
    const workers = await registry.live();
    checkConnections(spec, deps.configured.connections, workers);
    const fromJob = await checkFromJob(spec);
    checkRunnable(spec, knownConnections(deps.configured, workers), fromJob);
    const rec = newJobRecord(spec);
    await store.create(rec);
    try {
      await withRedisTimeout(
        queues
          .queueFor(spec.affinity)
          .then((q) => enqueueJob(q, rec, { retryBackoffMs: deps.retryBackoffMs })),
        'enqueue',
      );
    } catch (err) {
      await undoSubmit(rec);
      throw err;
    }
    deps.logger.info('job queued', { job: rec.id, type: spec.type, affinity: spec.affinity });
    return { id: rec.id, state: rec.state, affinity: spec.affinity };
  }

  async function cancelQueued(rec: JobRecord): Promise<CancelResult | undefined> {
    const outcome = await queues.removeIfWaiting(rec.spec.affinity, rec.id);
    if (outcome === 'active') return undefined;
    if (outcome === 'finished') {
      const now = await record(rec.id);
      throw new AppError('CONFLICT', `job ${rec.id} has already finished (${now.state})`);
    }
    const updated = await store.update(rec.id, {
      state: 'cancelled',
      finished_at: new Date().toISOString(),
      error: { code: 'CANCELLED', message: 'cancelled before it started' },
      retry_at: undefined,
    });
    deps.logger.info('queued job cancelled', { job: rec.id });
    return { accepted: false, view: toJobView(updated ?? rec, []) };
  }

  async function cancel(id: string): Promise<CancelResult> {
    const rec = await record(id);
    if (TERMINAL_STATES.includes(rec.state))
      throw new AppError('CONFLICT', `job ${id} has already finished (${rec.state})`);
    if (rec.state === 'queued') {
      const done = await cancelQueued(rec);
      if (done) return done;
    }
    const updated = await store.update(id, { cancel_requested: true });
    await deps.cancelBus.publish(id);
    deps.logger.info('cancel requested', { job: id });
    return { accepted: true, view: toJobView(updated ?? rec, await registry.live()) };
  }

  return {
    submit,
    record,
    async view(id) {
      return toJobView(await record(id), await registry.live());
    },
    async list(filter) {
      const [records, workers] = await Promise.all([store.list(filter), registry.live()]);
      return records.map((r) => toJobView(r, workers));
    },
    cancel,
  };
}
