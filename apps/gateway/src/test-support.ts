import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ConfigSchema, type DxaConfig } from '@dxa/config';
import { createLogger } from '@dxa/logger';
import { waitForRedis } from '@dxa/queue';
import { buildApp } from './app.js';
import { closeGatewayDeps, createGatewayDeps, type GatewayDeps } from './deps.js';

/** Test-only helpers: a gateway app on a unique Redis prefix, and cleanup of everything under it. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testConfig(
  prefix: string,
  overrides: { apiKey?: string; redisUrl?: string } = {},
): DxaConfig {
  return ConfigSchema.parse({
    application: { affinity: ['default'] },
    redis: { url: overrides.redisUrl ?? TEST_REDIS_URL, prefix },
    task_source: { api: overrides.apiKey ? { key: overrides.apiKey } : {} },
    connections: {
      source: { pg_main: { type: 'postgresql', database: 'app', password: 'pg-secret-pw' } },
      stage: { local: { type: 'local', path: './.dxa/test-stage' } },
      target: { warehouse: { type: 'duckdb', path: './.dxa/test.duckdb' } },
    },
  });
}

export type TestGateway = {
  deps: GatewayDeps;
  app: ReturnType<typeof buildApp>;
  prefix: string;
  redis: Redis;
  close(): Promise<void>;
};

export async function testGateway(
  label: string,
  overrides: { apiKey?: string; redisUrl?: string; waitForRedis?: boolean } = {},
): Promise<TestGateway> {
  const prefix = `dxatest-gw-${label}-${randomUUID().slice(0, 8)}`;
  const logger = createLogger('gateway-test', { level: 'error' });
  const deps = createGatewayDeps({
    config: testConfig(prefix, overrides),
    logger,
    watch: { pollMs: 100, keepAliveMs: 200 },
  });
  if (overrides.waitForRedis !== false) await waitForRedis(deps.redis, 5_000);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  return {
    deps,
    app: buildApp(deps),
    prefix,
    redis,
    async close() {
      await closeGatewayDeps(deps);
      await deleteKeysUnder(redis, prefix);
      await redis.quit();
    },
  };
}

export async function keysUnder(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, `${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}

/** A minimal job body that passes validation against `testConfig`. */
export function extractBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'extract', source: { connection: 'pg_main', table: 'public.orders' }, ...overrides };
}

/** Parses a complete text/event-stream body into events. */
export function parseSse(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trim());
      }
      return data.length > 0 ? { event, data: JSON.parse(data.join('\n')) as unknown } : undefined;
    })
    .filter((e): e is { event: string; data: unknown } => e !== undefined);
}

export type ErrorBody = {
  error: { code: string; message: string; details: { path?: string; message: string }[] };
};

/** Typed views of supertest's `any` bodies. */
export function errorOf(res: { body: unknown }): ErrorBody['error'] {
  return (res.body as ErrorBody).error;
}
export function bodyOf(res: {
  body: unknown;
}): Record<string, unknown> & { id: string; jobs: { id: string }[] } {
  return res.body as Record<string, unknown> & { id: string; jobs: { id: string }[] };
}
