export { startWorker, type StartWorkerOptions, type WorkerHandle } from './start-worker.js';
export { env as workerEnv, tuningFrom, type WorkerTuning } from './env.js';
export { handlers } from './handlers/index.js';
