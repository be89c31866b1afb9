import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const registryUrl = new URL('./index.ts', import.meta.url).href;
const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// Records every bare specifier the process resolves (in the loader thread, hence a file).
const hooks = `
import { appendFileSync } from 'node:fs';
let out;
export function initialize(data) { out = data.out; }
export async function resolve(specifier, context, next) {
  if (!/^(\\.|\\/|node:|file:|data:)/.test(specifier)) appendFileSync(out, specifier + '\\n');
  return next(specifier, context);
}`;

/**
 * In a fresh Node process: imports the package entry, loads the modules of the configured
 * connections and builds each connector; returns the packages it resolved and the CommonJS files
 * it loaded (snowflake-sdk is CommonJS and reaches its own dependencies by require).
 */
async function packagesLoadedFor(connections: object, logFile: string): Promise<string[]> {
  const script = `
import { register, createRequire } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), { data: { out: ${JSON.stringify(logFile)} } });
const { createLogger } = await import('@dxa/logger');
const registry = await import(${JSON.stringify(registryUrl)});
const config = { connections: registry.ConnectionsSchema.parse(${JSON.stringify(connections)}) };
await registry.loadConnectorModules(config);
const logger = createLogger('lazy-probe');
const built = [
  ...Object.keys(config.connections.source).map((n) => registry.createSource(config, n, logger)),
  ...Object.keys(config.connections.stage).map((n) => registry.createStage(config, n, logger)),
  ...Object.keys(config.connections.target).map((n) => registry.createDestination(config, n, logger)),
];
await Promise.all(built.map((c) => c.close()));
const { readFileSync } = await import('node:fs');
const resolved = readFileSync(${JSON.stringify(logFile)}, 'utf8').split('\\n');
const required = Object.keys(createRequire(import.meta.url).cache);
process.stdout.write(JSON.stringify([...resolved, ...required]));
`;
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', script],
    { cwd: packageDir, env: { ...process.env, LOG_LEVEL: 'error' }, timeout: 60_000 },
  );
  return JSON.parse(stdout) as string[];
}

// mysql2 by its package name: a checkout path may itself contain "mysql".
const SDKS = /snowflake-sdk|@azure[/+]|@aws-sdk[/+]|tedious|(?:^|[/+])mysql2(?:[/@]|$)/;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dxa-lazy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Every database or cloud driver a connector may load.
const DRIVERS = /^(pg|pg-copy-streams|mysql2(\/.*)?|@duckdb\/node-api|snowflake-sdk|tedious|teradatasql|@aws-sdk\/.*|@azure\/.*)$/;

describe('connector modules load only for configured kinds', () => {
  it('the connector list itself (every description) loads no driver', async () => {
    const loaded = await packagesLoadedFor({}, path.join(dir, 'none.log'));
    expect(loaded.filter((p) => DRIVERS.test(p))).toEqual([]);
    expect(loaded).toContain('zod');
  });

  it('PostgreSQL, a local stage and DuckDB load no cloud or Snowflake SDK', async () => {
    const loaded = await packagesLoadedFor(
      {
        source: { pg: { type: 'postgresql', database: 'postgres' } },
        stage: { local: { type: 'local', path: path.join(dir, 'stage') } },
        target: { warehouse: { type: 'duckdb', path: path.join(dir, 'w.duckdb') } },
      },
      path.join(dir, 'plain.log'),
    );
    expect(loaded).toContain('pg');
    expect(loaded).toContain('@duckdb/node-api');
    expect(loaded.filter((p) => SDKS.test(p))).toEqual([]);
  });

  it('a MySQL source loads mysql2 and no cloud or Snowflake SDK', async () => {
    const loaded = await packagesLoadedFor(
      { source: { my: { type: 'mysql', database: 'mysql' } } },
      path.join(dir, 'mysql.log'),
    );
    expect(loaded).toContain('mysql2/promise');
    expect(loaded).not.toContain('pg');
    expect(loaded.filter((p) => /snowflake-sdk|@azure[/+]|@aws-sdk[/+]|tedious/.test(p))).toEqual([]);
  });

  it('an S3 stage loads the AWS SDK and still no Snowflake or Azure one', async () => {
    const loaded = await packagesLoadedFor(
      { stage: { lake: { type: 's3', bucket_name: 'b', region: 'us-east-1' } } },
      path.join(dir, 's3.log'),
    );
    expect(loaded).toContain('@aws-sdk/client-s3');
    expect(loaded.filter((p) => /snowflake-sdk|@azure[/+]/.test(p))).toEqual([]);
  });
});
