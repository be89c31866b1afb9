import { loadConnectorModules } from '@dxa/connectors';
import {
  startWorker as startWorkerRuntime,
  type StartWorkerOptions,
  type WorkerHandle,
} from './start-worker.js';

export type { StartWorkerOptions, WorkerHandle } from './start-worker.js';
export { env as workerEnv, tuningFrom, type WorkerTuning } from './env.js';
export { handlers } from './handlers/index.js';

/**
 * Starts a worker once the connector modules its configuration uses are imported: jobs build their
 * connectors synchronously, and kinds nobody configured (with their SDKs) are never loaded.
 */
export async function startWorker(options: StartWorkerOptions): Promise<WorkerHandle> {
  await loadConnectorModules(options.config);
  return startWorkerRuntime(options);
}
