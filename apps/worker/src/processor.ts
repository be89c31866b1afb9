import { UnrecoverableError, type Job, type Queue, type Worker } from 'bullmq';
import type { DxaConfig } from '@dxa/config';
import {
  jobCatalog,
  JOB_TYPES,
  type JobSpec,
  type JobSteps,
  type JobType,
  type Progress,
  type StepName,
} from '@dxa/contracts';
import { classifyError, coerceError, type Classified } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { JobStore, QueueJobData } from '@dxa/queue';
import { STOP_REASONS, stopError, type ActiveJobs, type StopReason } from './active-jobs.js';
import { runHandler, type ServiceContext } from './handlers/index.js';
import type { StepDetail } from './handlers/types.js';
import type { WorkerMetrics } from './metrics.js';
import { planFailure, type FailurePlan } from './outcome.js';
import { createPartitionDispatch } from './extract/coordinator/partition-dispatch.js';
import { controlJob, handBackToQueue } from './job-control.js';
import { ProgressReporter } from './progress.js';
import { openJobConnectors } from './services/job-connectors.js';

export type ProcessorDeps = {
  workerId: string;
  affinity: string;
  config: DxaConfig;
  logger: Logger;
  store: JobStore;
  active: ActiveJobs;
  metrics: WorkerMetrics;
  mask: (text: string) => string;
  /** The BullMQ worker running this processor (set right after it is built, before it runs). */
  bullWorker: () => Worker<QueueJobData> | undefined;
  /** The label's partition queue, where a partitioned extract puts its slices. */
  partitionQueue: Queue;
  /** Stops a job wherever it runs (the cancel bus); partitions are stopped through it. */
  publishCancel: (jobId: string) => Promise<void>;
};

export type ProcessorResult = { state: 'completed' };
type BullJob = Job<QueueJobData>;

/** One attempt of one job on this worker. */
type Attempt = {
  deps: ProcessorDeps;
  job: BullJob;
  token: string | undefined;
  jobId: string;
  spec: JobSpec;
  log: Logger;
};

const now = (): string => new Date().toISOString();

function isJobType(name: string): name is JobType {
  return (JOB_TYPES as readonly string[]).includes(name);
}

/** Re-parses the payload with the catalog schema: a job from an older or foreign producer is terminal. */
function parseSpec(job: BullJob): { ok: true; spec: JobSpec } | { ok: false; message: string } {
  if (!isJobType(job.name)) return { ok: false, message: `unknown job type "${job.name}"` };
  const data: unknown = job.data;
  const raw = typeof data === 'object' && data !== null && 'spec' in data ? data.spec : undefined;
  const parsed = jobCatalog[job.name].schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      message: `invalid ${job.name} job: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'bad payload'}`,
    };
  }
  return { ok: true, spec: parsed.data };
}

/** The BullMQ processor: takes the job record through active to a final state (or back to queued). */
export function createProcessor(
  deps: ProcessorDeps,
): (job: BullJob, token?: string, signal?: AbortSignal) => Promise<ProcessorResult> {
  // Three declared parameters: BullMQ passes the abort signal only to processors that take one.
  return async (job, token, signal) => {
    const jobId = job.id;
    if (jobId === undefined) throw new UnrecoverableError('a job without an id cannot be tracked');
    const log = deps.logger.child({ jobId, type: job.name, affinity: deps.affinity, worker: deps.workerId });
    const parsed = parseSpec(job);
    if (!parsed.ok) {
      log.warn('job rejected', { error: parsed.message });
      await deps.store.update(jobId, {
        state: 'failed',
        worker: deps.workerId,
        finished_at: now(),
        error: { code: 'INVALID_JOB', message: parsed.message },
      });
      deps.metrics.failed.inc({ type: isJobType(job.name) ? job.name : 'unknown' });
      throw new UnrecoverableError(parsed.message);
    }
    const record = await deps.store.get(jobId);
    if (!record) throw new UnrecoverableError(`job record ${jobId} not found (removed or expired)`);
    if (record.cancel_requested) {
      await deps.store.update(jobId, {
        state: 'cancelled',
        finished_at: now(),
        retry_at: undefined,
        error: { code: 'CANCELLED', message: 'cancelled before it started' },
      });
      deps.metrics.cancelled.inc({ type: job.name });
      log.info('job cancelled before it started');
      throw new UnrecoverableError('cancelled before it started');
    }
    return runAttempt({ deps, job, token, jobId, spec: parsed.spec, log }, signal);
  };
}

type Scope = { ctx: ServiceContext; reporter: ProgressReporter; currentStep: () => string };

/** The handler's view of this attempt: signal, progress, connectors and record access. */
function openScope(a: Attempt, signal: AbortSignal, stop: (reason: StopReason) => void): Scope {
  const { deps, jobId, log } = a;
  const reporter = new ProgressReporter({
    sink: (progress) => writeProgress(a, progress, stop),
    onError: (err) => log.warn('progress update failed', { error: deps.mask(coerceError(err).message) }),
  });
  let step = 'start';
  const attempt = a.job.attemptsMade + 1;
  const ctx: ServiceContext = {
    jobId,
    attempt,
    config: deps.config,
    logger: log,
    signal,
    progress: reporter,
    connectors: openJobConnectors(deps.config, log),
    step: (name) => {
      step = name;
    },
    saveResult: (part) => deps.store.setResult(jobId, part),
    saveStep: <K extends StepName>(name: K, detail: StepDetail<K>) => {
      const step = { ...detail, status: 'completed', finished_at: now(), attempt };
      return deps.store.setStep(jobId, name, step as NonNullable<JobSteps[K]>);
    },
    getJob: (id) => deps.store.get(id),
    onRowsExtracted: (rows) => deps.metrics.rowsExtracted.inc(rows),
    partitions: createPartitionDispatch({
      parent: a.job,
      queue: deps.partitionQueue,
      store: deps.store,
      publishCancel: deps.publishCancel,
      logger: log,
    }),
  };
  return { ctx, reporter, currentStep: () => step };
}

async function runAttempt(a: Attempt, bullSignal: AbortSignal | undefined): Promise<ProcessorResult> {
  const { deps, jobId } = a;
  const { controller, stop, unlink } = controlJob(jobId, deps.bullWorker, bullSignal);
  deps.active.add(jobId, { stop });
  deps.metrics.active.inc();
  const scope = openScope(a, controller.signal, stop);
  try {
    return await execute(a, scope);
  } finally {
    await scope.reporter.close();
    unlink();
    deps.active.remove(jobId);
    deps.metrics.active.dec();
    await scope.ctx.connectors.close();
  }
}

async function execute(a: Attempt, { ctx, reporter, currentStep }: Scope): Promise<ProcessorResult> {
  const { deps, job, jobId, log } = a;
  const attempts = job.attemptsMade + 1;
  await deps.store.update(jobId, {
    state: 'active',
    worker: deps.workerId,
    started_at: now(),
    attempts,
    error: undefined,
    retry_at: undefined,
    finished_at: undefined,
  });
  log.info('job started', { attempt: attempts });
  const failure = await runHandler(a.spec, ctx).then(
    () => undefined,
    (thrown: unknown) => ({ thrown }),
  );
  const progress = reporter.snapshot();
  await reporter.close();
  if (failure) return fail(a, failure.thrown, ctx.signal, currentStep(), progress);
  await deps.store.update(jobId, {
    state: 'completed',
    finished_at: now(),
    ...(progress ? { progress } : {}),
  });
  deps.metrics.processed.inc({ type: a.spec.type });
  log.info('job completed');
  return { state: 'completed' };
}

/** Progress goes to QueueEvents (live SSE) and to the record; a record marked cancelled stops the job. */
async function writeProgress(
  a: Attempt,
  progress: Progress,
  stop: (reason: StopReason) => void,
): Promise<void> {
  await a.job.updateProgress(progress);
  const record = await a.deps.store.update(a.jobId, { progress });
  // Safety net for a missed cancel message: the gateway marks the record before publishing.
  if (record?.cancel_requested) stop(STOP_REASONS.cancel);
}

function withStep(c: Classified, step: string): Classified {
  return c.kind === 'hand-back' || c.step ? c : { ...c, step };
}

/** Decides the failure with classifyError (a stop request wins over whatever it caused) and ends the attempt. */
async function fail(
  a: Attempt,
  thrown: unknown,
  signal: AbortSignal,
  step: string,
  progress: Progress | undefined,
): Promise<never> {
  const { deps, job, jobId, log } = a;
  const cause = signal.aborted ? stopError(signal.reason) : thrown;
  const classified = withStep(classifyError(cause), step);
  // BullMQ retries only within the job's own `attempts` (one when unset), so that is what counts.
  const plan = planFailure(
    classified,
    { attemptsMade: job.attemptsMade, maxAttempts: job.opts.attempts ?? 1, backoff: job.opts.backoff },
    new Date(),
    deps.mask,
  );
  await deps.store.update(jobId, { ...plan.patch, ...(progress ? { progress } : {}) });
  if (plan.action === 'hand-back') return handBack(a);
  logFailure(log, plan, classified);
  countFailure(deps.metrics, a.spec.type, plan);
  if (plan.action === 'retry') throw new Error(plan.message);
  throw new UnrecoverableError(plan.message);
}

async function handBack(a: Attempt): Promise<never> {
  a.log.info('job handed back to the queue');
  return handBackToQueue(a.job, a.token);
}

function logFailure(log: Logger, plan: FailurePlan, classified: Classified): void {
  const fields = { code: plan.patch.error?.code, step: plan.patch.error?.step, error: plan.message };
  if (plan.patch.state === 'cancelled') log.info('job cancelled', fields);
  else if (plan.action === 'retry')
    log.warn('job attempt failed; will retry', { ...fields, retry_at: plan.patch.retry_at });
  else log.error('job failed', { ...fields, kind: classified.kind });
}

function countFailure(metrics: WorkerMetrics, type: JobType, plan: FailurePlan): void {
  if (plan.patch.state === 'cancelled') metrics.cancelled.inc({ type });
  else if (plan.patch.state === 'failed') metrics.failed.inc({ type });
}
