import type { JobView, WorkerInfo } from '@dxa/contracts';
import type { JobRecord } from './api.js';

function servesLabel(worker: WorkerInfo, label: string): boolean {
  return !worker.draining && worker.affinities.includes(label);
}

/** What a queued job waits for, in words a person can act on. */
export function waitingFor(record: JobRecord, liveWorkers: readonly WorkerInfo[]): string | undefined {
  if (record.state !== 'queued') return undefined;
  const label = record.spec.affinity;
  if (!liveWorkers.some((w) => servesLabel(w, label))) return `worker with affinity ${label}`;
  if (record.retry_at && Date.parse(record.retry_at) > Date.now()) return `retry at ${record.retry_at}`;
  return `a free slot on a worker with affinity ${label}`;
}

/** The current generation's partitions in index order, without their file lists. */
function partitionsOf(record: JobRecord): JobView['partitions'] {
  if (!record.partitions) return undefined;
  const current = Object.values(record.partitions)
    .filter((p) => p.generation === record.partition_generation)
    .sort((a, b) => a.index - b.index)
    .map(({ files: _files, ...rest }) => rest);
  return current.length > 0 ? current : undefined;
}

/**
 * The public view of a job record (`GET /v1/jobs/{id}`). Records hold connection names only, so
 * nothing secret can reach the view; internal fields (queue, cancel_requested, retry_at) stay out.
 */
export function toJobView(record: JobRecord, liveWorkers: readonly WorkerInfo[]): JobView {
  const view: JobView = {
    id: record.id,
    type: record.spec.type,
    state: record.state,
    affinity: record.spec.affinity,
    attempts: record.attempts,
    created_at: record.created_at,
    spec: record.spec,
  };
  const optional: Partial<JobView> = {
    name: record.spec.name,
    worker: record.worker,
    waiting_for: waitingFor(record, liveWorkers),
    started_at: record.started_at,
    finished_at: record.finished_at,
    progress: record.progress,
    result: record.result,
    steps: record.steps,
    partitions: partitionsOf(record),
    error: record.error,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(view, { [key]: value });
  }
  return view;
}
