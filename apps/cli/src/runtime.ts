import { loadConfig, secretValues, type DxaConfig } from '@dxa/config';
import { createLogger, registerSecrets, type Logger } from '@dxa/logger';

export type GlobalOptions = { config?: string; debug?: boolean };

/** Loads and validates the configuration once, and teaches the logger its secrets. */
export function loadRuntime(
  opts: GlobalOptions,
  overrides: Record<string, unknown> = {},
): { config: DxaConfig; logger: Logger } {
  const { config } = loadConfig({
    ...(opts.config ? { file: opts.config } : {}),
    env: process.env,
    overrides,
  });
  registerSecrets(secretValues(config));
  const debug = opts.debug === true || config.application.debug_mode;
  const logger = createLogger('dxa', { level: process.env.LOG_LEVEL ?? (debug ? 'debug' : 'info') });
  return { config, logger };
}

/** Runs `stop` once on SIGTERM or SIGINT, then exits; a second signal exits at once. */
export function onShutdownSignal(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info('shutting down', { signal });
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { error: err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

export function parsePositiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${name} must be a positive integer, got "${value}"`);
  return n;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${value}"`);
  return n;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
