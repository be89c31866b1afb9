import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DxaConfig } from '@dxa/config';
import type { Logger } from '@dxa/logger';
import { describeRedisUrl, waitForRedis } from '@dxa/queue';
import { buildApp } from './app.js';
import { closeGatewayDeps, createGatewayDeps, type GatewayDeps } from './deps.js';

export type StartGatewayOptions = {
  config: DxaConfig;
  logger: Logger;
  /** Defaults to `server.host`; forced to loopback when no API key is configured. */
  host?: string;
  /** Defaults to `server.port`; 0 picks a free port. */
  port?: number;
  /** Poll and keep-alive periods of event streams (tests shorten them). */
  watch?: Partial<GatewayDeps['watch']>;
};

export type RunningGateway = { url: string; port: number; close(): Promise<void> };

/** The port is taken; the message says which and what to do. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly code = 'EADDRINUSE';
}

const REDIS_STARTUP_WAIT_MS = 5_000;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Without an API key the API is open, so it is only reachable from this machine. */
export function bindHost(config: DxaConfig, logger: Logger, requested?: string): string {
  const host = requested ?? config.server.host;
  if (config.task_source.api.key || isLoopback(host)) return host;
  logger.warn('no API key configured (task_source.api.key / DXA_API_KEY): listening on 127.0.0.1 only', {
    configured_host: host,
  });
  return '127.0.0.1';
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new PortInUseError(
            `port ${port} on ${host} is already in use; stop the other process or choose another port (--port, server.port, PORT)`,
          ),
        );
      } else reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the REST API. Redis being down is not fatal: the gateway reports it and recovers. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  const host = bindHost(config, logger, options.host);
  // Listen first: a taken port then fails before any Redis connection is opened.
  const server = createServer();
  const port = await listen(server, host, options.port ?? config.server.port);
  const deps = createGatewayDeps({ config, logger, ...(options.watch ? { watch: options.watch } : {}) });
  server.on('request', buildApp(deps));
  await waitForRedis(deps.redis, REDIS_STARTUP_WAIT_MS).catch(() =>
    logger.warn('Redis is not reachable yet; job routes answer 503 until it is', {
      redis: describeRedisUrl(config.redis.url),
    }),
  );
  const url = `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  logger.info('gateway listening', {
    url,
    auth: config.task_source.api.key ? 'api key' : 'none (loopback only)',
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await closeGatewayDeps(deps); // ends event streams, which lets server.close finish
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
