import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigSchema, type DxaConfig } from '@dxa/config';
import { startGateway } from '@dxa/gateway';
import { createLogger } from '@dxa/logger';
import { startWorker } from '@dxa/worker';
import { GatewayClient } from '../api-client.js';
import { formatBytes, formatDuration, formatNumber } from '../format.js';
import { UsageError, parsePositiveInt, type GlobalOptions } from '../runtime.js';
import { watchJob } from '../watch.js';
import { ensureRedis } from './redis.js';
import { DEMO_TABLE, demoDatabase, ensureSampleTable } from './sample-table.js';

export type DemoOptions = GlobalOptions & { rows?: string; format?: string };

function demoConfig(root: string, db: ReturnType<typeof demoDatabase>): DxaConfig {
  return ConfigSchema.parse({
    application: { workers: 2, affinity: ['demo'], work_dir: resolve(root, 'work') },
    server: { host: '127.0.0.1', port: 0 },
    redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: 'dxa-demo' },
    connections: {
      source: {
        demo_pg: {
          type: 'postgresql',
          host: db.host,
          port: db.port,
          database: db.database,
          username: db.user,
          ...(process.env.PGPASSWORD ? { password: process.env.PGPASSWORD } : {}),
        },
      },
      stage: { local: { type: 'local', path: resolve(root, 'stage') } },
      target: { warehouse: { type: 'duckdb', path: resolve(root, 'warehouse.duckdb') } },
    },
  });
}

/** Zero-configuration run: sample table → gateway → worker → staged files → DuckDB, with a readable summary. */
export async function runDemo(opts: DemoOptions): Promise<number> {
  const rows = parsePositiveInt(opts.rows ?? '1000000', '--rows');
  const format = opts.format ?? 'parquet';
  if (format !== 'parquet' && format !== 'csv')
    throw new UsageError(`--format must be parquet or csv, got "${format}"`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const root = resolve('.dxa', 'demo');
  mkdirSync(root, { recursive: true });

  const db = demoDatabase(process.env);
  const { created } = await ensureSampleTable(db, rows, log);
  if (!created) log(`reusing ${DEMO_TABLE} (${formatNumber(rows)} rows) in database ${db.database}`);
  const config = demoConfig(root, db);
  await ensureRedis(config.redis.url, log);

  const logger = createLogger('dxa-demo', {
    level: process.env.LOG_LEVEL ?? (opts.debug ? 'debug' : 'warn'),
  });
  const gateway = await startGateway({ config, logger });
  const worker = await startWorker({ config, logger });
  try {
    log(`gateway ${gateway.url}, worker ${worker.id} (affinity demo)`);
    const client = new GatewayClient({ baseUrl: gateway.url });
    const started = Date.now();
    const { id } = await client.submit({
      type: 'migrate',
      affinity: 'demo',
      name: 'demo: PostgreSQL → DuckDB',
      source: { connection: 'demo_pg', table: DEMO_TABLE },
      stage: { connection: 'local', path: 'demo' },
      format,
      target: { connection: 'warehouse', table: 'demo_orders', mode: 'replace' },
      validation: { levels: ['count'] },
    });
    log(`submitted migrate job ${id}`);
    const view = await watchJob(client, id, process.stderr);
    const seconds = (Date.now() - started) / 1000;
    const extract = view.result?.extract;
    const lines = [
      '',
      `demo ${view.state} in ${formatDuration(seconds)}`,
      `  source     postgresql ${db.host}:${db.port}/${db.database} ${DEMO_TABLE}`,
      extract
        ? `  staged     ${extract.files.length} ${extract.format} file(s), ${formatBytes(extract.files.reduce((a, f) => a + f.bytes, 0))} in ${resolve(root, 'stage')}`
        : '  staged     -',
      view.result?.load
        ? `  target     duckdb ${resolve(root, 'warehouse.duckdb')} table ${view.result.load.table}`
        : '  target     -',
      `  rows       ${formatNumber(view.result?.load?.rows ?? extract?.rows ?? 0)} (${formatNumber((view.result?.load?.rows ?? 0) / Math.max(seconds, 0.001))} rows/s end to end)`,
      `  check      ${view.result?.validation ? `row count ${view.result.validation.status}` : 'not run'}`,
      ...(view.error ? [`  error      ${view.error.code}: ${view.error.message}`] : []),
      `  job        ${id}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return view.state === 'completed' ? 0 : 1;
  } finally {
    await worker.close(10_000);
    await gateway.close();
  }
}
