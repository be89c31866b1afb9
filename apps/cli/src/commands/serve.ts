import { startGateway } from '@dxa/gateway';
import { startWorker } from '@dxa/worker';
import {
  loadRuntime,
  onShutdownSignal,
  parsePort,
  parsePositiveInt,
  type GlobalOptions,
} from '../runtime.js';

export type ServeOptions = GlobalOptions & {
  port?: string;
  affinity?: string;
  concurrency?: string;
  workers?: string;
  healthPort?: string;
};

function overridesFrom(opts: ServeOptions): Record<string, unknown> {
  const application: Record<string, unknown> = {};
  const concurrency = opts.concurrency ?? opts.workers;
  if (concurrency !== undefined) application.workers = parsePositiveInt(concurrency, '--concurrency');
  if (opts.affinity !== undefined)
    application.affinity = opts.affinity
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (opts.debug) application.debug_mode = true;
  const out: Record<string, unknown> = { application };
  if (opts.port !== undefined) out.server = { port: parsePort(opts.port) };
  return out;
}

export async function runGateway(opts: ServeOptions): Promise<void> {
  const { config, logger } = loadRuntime(opts, overridesFrom(opts));
  const gateway = await startGateway({ config, logger });
  process.stdout.write(`gateway listening on ${gateway.url}\n`);
  onShutdownSignal(logger, () => gateway.close());
}

export async function runWorker(opts: ServeOptions): Promise<void> {
  const { config, logger } = loadRuntime(opts, overridesFrom(opts));
  const healthPort = opts.healthPort === undefined ? undefined : parsePort(opts.healthPort);
  const worker = await startWorker({ config, logger, ...(healthPort !== undefined ? { healthPort } : {}) });
  process.stdout.write(
    `worker ${worker.id} serving ${config.application.affinity.join(', ')} with concurrency ${config.application.workers}\n`,
  );
  onShutdownSignal(logger, () => worker.close());
}

/** Gateway and worker in one process: the upstream agent's single-process mode. */
export async function runAgent(opts: ServeOptions): Promise<void> {
  const { config, logger } = loadRuntime(opts, overridesFrom(opts));
  const gateway = await startGateway({ config, logger });
  const worker = await startWorker({ config, logger });
  process.stdout.write(
    `agent listening on ${gateway.url}, worker ${worker.id} serving ${config.application.affinity.join(', ')}\n`,
  );
  onShutdownSignal(logger, async () => {
    await worker.close();
    await gateway.close();
  });
}
