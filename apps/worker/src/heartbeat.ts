import type { WorkerInfo } from '@dxa/contracts';
import { coerceError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { WorkerRegistry } from '@dxa/queue';

export type Heartbeat = {
  /** Writes the entry now; resolves when written (a failure is logged, not thrown). */
  beat(): Promise<void>;
  stop(): void;
};

/** Keeps this worker's registry entry alive; beats never overlap. */
export function startHeartbeat(
  registry: WorkerRegistry,
  intervalMs: number,
  info: () => WorkerInfo,
  logger: Logger,
): Heartbeat {
  let inFlight: Promise<void> | undefined;
  let failing = false;
  const write = async (): Promise<void> => {
    try {
      await registry.heartbeat(info());
      if (failing) logger.info('worker heartbeat restored');
      failing = false;
    } catch (err) {
      if (!failing) logger.warn('worker heartbeat failed', { error: coerceError(err).message });
      failing = true;
    }
  };
  const beat = (): Promise<void> => {
    inFlight ??= write().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const timer = setInterval(() => void beat(), intervalMs);
  // The worker's Redis connections keep the process alive, not this timer.
  timer.unref();
  return {
    beat,
    stop: () => clearInterval(timer),
  };
}
