import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV_VARS } from './env-vars.js';
import { loadConfig } from './load.js';
import { ConfigSchema } from './schema.js';
import { schemaAt } from './schema-walk.js';
import { tomlDir } from './test-helpers.js';

const files = tomlDir();
afterAll(() => files.cleanup());

describe('environment variables', () => {
  it('maps the product variables onto configuration keys', () => {
    const env = {
      WORKER_COUNT: '7',
      AGENT_AFFINITY: 'blue, green',
      PORT: '9000',
      REDIS_URL: 'redis://127.0.0.1:6390/2',
      DXA_REDIS_PREFIX: 'dxa-test',
      DXA_API_KEY: 'k-123',
      DXA_WORK_DIR: '/tmp/w',
      DXA_SHUTDOWN_TIMEOUT_SECONDS: '12.5',
    };
    const { config } = loadConfig({ env });
    expect(config.application).toMatchObject({
      workers: 7,
      affinity: ['blue', 'green'],
      work_dir: '/tmp/w',
      shutdown_timeout_seconds: 12.5,
    });
    expect(config.server.port).toBe(9000);
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6390/2', prefix: 'dxa-test' });
    expect(config.task_source.api.key).toBe('k-123');
  });

  it('defines the source "source" from DATA_SOURCE_* (type sqlserver by default) only when host or database is set', () => {
    expect(
      loadConfig({ env: { DATA_SOURCE_USERNAME: 'sa', DATA_SOURCE_PORT: '1444' } }).config.connections.source,
    ).toEqual({});
    const { config } = loadConfig({
      env: {
        DATA_SOURCE_HOST: 'db.local',
        DATA_SOURCE_PORT: '1444',
        DATA_SOURCE_USERNAME: 'sa',
        DATA_SOURCE_PASSWORD: 'pw',
        DATA_SOURCE_DATABASE: 'erp',
      },
    });
    expect(config.connections.source.source).toMatchObject({
      type: 'sqlserver',
      host: 'db.local',
      port: 1444,
      username: 'sa',
      password: 'pw',
      database: 'erp',
    });
    const pg = loadConfig({ env: { DATA_SOURCE_TYPE: 'postgresql', DATA_SOURCE_DATABASE: 'app' } }).config
      .connections.source.source;
    expect(pg).toMatchObject({ type: 'postgresql', host: '127.0.0.1', port: 5432, database: 'app' });
  });

  it('lets DATA_SOURCE_* override a file-defined "source" without changing its type', () => {
    const file = files.write(
      'src.toml',
      '[connections.source.source]\ntype = "postgresql"\ndatabase = "app"\nhost = "a"\n',
    );
    expect(
      loadConfig({ file, env: { DATA_SOURCE_HOST: 'b' } }).config.connections.source.source,
    ).toMatchObject({ type: 'postgresql', host: 'b', database: 'app' });
  });

  it('defines the target "snowflake" from SNOWFLAKE_* only when the account or a connection name is set', () => {
    const spcsOnly = {
      SNOWFLAKE_HOST: 'h',
      SNOWFLAKE_DATABASE: 'd',
      SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
    };
    expect(loadConfig({ env: spcsOnly }).config.connections.target).toEqual({});
    const env = {
      ...spcsOnly,
      SNOWFLAKE_ACCOUNT: 'acc',
      SNOWFLAKE_USER: 'u',
      SNOWFLAKE_PASSWORD: 'p',
      SNOWFLAKE_WAREHOUSE: 'wh',
      SNOWFLAKE_ROLE: 'r',
      SNOWFLAKE_SCHEMA: 's',
    };
    expect(loadConfig({ env }).config.connections.target).toEqual({
      snowflake: {
        type: 'snowflake',
        account: 'acc',
        user: 'u',
        password: 'p',
        warehouse: 'wh',
        role: 'r',
        database: 'd',
        schema: 's',
        host: 'h',
      },
    });
    const named = loadConfig({ env: { SNOWFLAKE_CONNECTION_NAME: '@SPCS_CONNECTION' } }).config.connections
      .target;
    expect(named).toEqual({ snowflake: { type: 'snowflake', connection_name: '@SPCS_CONNECTION' } });
  });

  it('lists each variable once, and every key it names exists in the schema', () => {
    const names = ENV_VARS.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'WORKER_COUNT',
        'AGENT_AFFINITY',
        'PORT',
        'REDIS_URL',
        'DXA_CONFIG',
        'LOG_LEVEL',
        'DATA_SOURCE_TYPE',
      ]),
    );
    const sample = {
      connections: {
        source: { source: { type: 'sqlserver' } },
        target: { snowflake: { type: 'snowflake' } },
      },
    };
    for (const { name, key } of ENV_VARS) {
      if (key === undefined) continue;
      expect(schemaAt(ConfigSchema, key.split('.'), sample), name).toBeDefined();
    }
  });

  it('DXA_HOST sets the address the gateway and the worker health server listen on', () => {
    expect(loadConfig({ env: { DXA_HOST: '0.0.0.0' } }).config.server.host).toBe('0.0.0.0');
    expect(loadConfig({ env: {} }).config.server.host).toBe('127.0.0.1');
  });

  it('inside SPCS (the token file exists) the Snowflake target defaults to @SPCS_CONNECTION', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dxa-spcs-'));
    const token = path.join(dir, 'token');
    writeFileSync(token, 'oauth-token');
    try {
      const spcsEnv = { SNOWFLAKE_ACCOUNT: 'acme', SNOWFLAKE_HOST: 'acme.snowflakecomputing.com' };
      const target = (env: NodeJS.ProcessEnv) => loadConfig({ env }).config.connections.target.snowflake;
      expect(target({ ...spcsEnv, DXA_SPCS_TOKEN_PATH: token })).toMatchObject({
        type: 'snowflake',
        connection_name: '@SPCS_CONNECTION',
        account: 'acme',
      });
      // Outside SPCS, or with a password or a connection name of its own, nothing is defaulted.
      expect(target({ ...spcsEnv, DXA_SPCS_TOKEN_PATH: path.join(dir, 'absent') })).not.toHaveProperty(
        'connection_name',
      );
      expect(
        target({ ...spcsEnv, SNOWFLAKE_PASSWORD: 'pw', SNOWFLAKE_USER: 'u', DXA_SPCS_TOKEN_PATH: token }),
      ).not.toHaveProperty('connection_name');
      expect(target({ SNOWFLAKE_CONNECTION_NAME: 'prod', DXA_SPCS_TOKEN_PATH: token })).toMatchObject({
        connection_name: 'prod',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
