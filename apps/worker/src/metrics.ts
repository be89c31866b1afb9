import { Counter, Gauge, Registry } from 'prom-client';

export type WorkerMetrics = {
  registry: Registry;
  processed: Counter<'type'>;
  failed: Counter<'type'>;
  cancelled: Counter<'type'>;
  active: Gauge;
  rowsExtracted: Counter;
};

/** A registry per worker, so several workers in one process (tests, `dxa agent`) never collide. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    processed: new Counter({
      name: 'dxa_worker_jobs_processed_total',
      help: 'Jobs completed by this worker',
      labelNames: ['type'],
      registers,
    }),
    failed: new Counter({
      name: 'dxa_worker_jobs_failed_total',
      help: 'Jobs that ended failed on this worker',
      labelNames: ['type'],
      registers,
    }),
    cancelled: new Counter({
      name: 'dxa_worker_jobs_cancelled_total',
      help: 'Jobs cancelled while on this worker',
      labelNames: ['type'],
      registers,
    }),
    active: new Gauge({ name: 'dxa_worker_active_jobs', help: 'Jobs running on this worker now', registers }),
    rowsExtracted: new Counter({
      name: 'dxa_worker_rows_extracted_total',
      help: 'Rows extracted from sources',
      registers,
    }),
  };
}
