import { connectionNames, getConnection, type DxaConfig } from '@dxa/config';
import {
  connectionLabel,
  createDestination,
  createSource,
  createStage,
  loadConnectorModules,
} from '@dxa/connectors';
import { maskSecretsInText, type Logger } from '@dxa/logger';
import { closeRedis, createRedis, waitForRedis } from '@dxa/queue';
import { loadRuntime, type GlobalOptions } from '../runtime.js';

type Check = { label: string; run: (signal: AbortSignal) => Promise<void> };

const CHECK_TIMEOUT_MS = 15_000;

function checksFor(config: DxaConfig, logger: Logger): Check[] {
  const names = connectionNames(config);
  const checks: Check[] = [
    {
      label: 'redis',
      run: async () => {
        const redis = createRedis(config.redis.url, 'producer');
        try {
          await waitForRedis(redis, 5_000);
          await redis.ping();
        } finally {
          await closeRedis(redis);
        }
      },
    },
  ];
  const connectorCheck = (
    role: 'source' | 'stage' | 'target',
    name: string,
    open: () => { check(ctx: { signal: AbortSignal }): Promise<void>; close(): Promise<void> },
  ): Check => ({
    // `source connection "pg_erp" (postgresql)`, as the connector's own errors name it.
    label: `${role} ${connectionLabel(name, getConnection(config, role, name).type)}`,
    run: async (signal) => {
      const connector = open();
      try {
        await connector.check({ signal });
      } finally {
        await connector.close();
      }
    },
  });
  for (const name of names.source)
    checks.push(connectorCheck('source', name, () => createSource(config, name, logger)));
  for (const name of names.stage)
    checks.push(connectorCheck('stage', name, () => createStage(config, name, logger)));
  for (const name of names.target)
    checks.push(connectorCheck('target', name, () => createDestination(config, name, logger)));
  return checks;
}

/** Opens every configured connection, one line each; non-zero exit when any fails. */
export async function testConnections(opts: GlobalOptions): Promise<number> {
  const { config, logger } = loadRuntime(opts);
  await loadConnectorModules(config);
  let failed = 0;
  for (const check of checksFor(config, logger)) {
    const started = Date.now();
    const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
    try {
      await check.run(signal);
      process.stdout.write(`ok    ${check.label} (${Date.now() - started} ms)\n`);
    } catch (err) {
      failed += 1;
      const message = maskSecretsInText(err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
      // The connector's error already starts with the label; say it once.
      const detail = message.startsWith(`${check.label}: `) ? message.slice(check.label.length + 2) : message;
      process.stdout.write(`FAIL  ${check.label}: ${detail}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}
