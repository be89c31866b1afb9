import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@dxa/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionsSchema, targetCapabilities, type Connections } from './catalog.js';
import {
  createDestination,
  createSource,
  createStage,
  loadConnectorModules,
} from './registry.js';

const logger = createLogger('registry-test');
const ctx = { signal: new AbortController().signal };
let dir: string;
let config: { connections: Connections };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dxa-registry-'));
  config = {
    connections: ConnectionsSchema.parse({
      source: {
        pg: { type: 'postgresql', database: 'postgres' },
        mssql: { type: 'sqlserver' },
        td: { type: 'teradata' },
        my: { type: 'mysql' },
      },
      stage: {
        local: { type: 'local', path: path.join(dir, 'stage') },
        s3: { type: 's3', bucket_name: 'b' },
        blob: { type: 'azure_blob', container_name: 'c' },
        sf_stage: { type: 'snowflake_stage', connection: 'sf' },
      },
      target: {
        warehouse: { type: 'duckdb', path: path.join(dir, 'w.duckdb') },
        pg_target: { type: 'postgresql', database: 'postgres' },
        sf: { type: 'snowflake' },
      },
    }),
  };
  await loadConnectorModules(config);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('connector registry', () => {
  it('builds the local stage and the DuckDB destination by connection name', async () => {
    const stage = createStage(config, 'local', logger);
    expect(stage.kind).toBe('local');
    await stage.putText('probe.txt', 'ok', ctx);
    expect(stage.localPath('probe.txt')).toBe(path.join(dir, 'stage', 'probe.txt'));
    const dest = createDestination(config, 'warehouse', logger);
    expect(dest.kind).toBe('duckdb');
    await dest.check(ctx);
    expect(await dest.tableExists('nothing_here', ctx)).toBe(false);
  });

  it('builds the PostgreSQL source', async () => {
    const source = createSource(config, 'pg', logger);
    expect(source.kind).toBe('postgresql');
    await source.close();
  });

  it('builds the MySQL source', async () => {
    const source = createSource(config, 'my', logger);
    expect(source.kind).toBe('mysql');
    await source.close();
  });

  it('builds the PostgreSQL destination', async () => {
    const dest = createDestination(config, 'pg_target', logger);
    expect(dest.kind).toBe('postgresql');
    await dest.check(ctx);
    await dest.close();
    expect(targetCapabilities('postgresql')?.formats).toEqual(['csv', 'parquet']);
  });

  it('names the configured connections when a name is unknown', () => {
    expect(() => createStage(config, 'nope', logger)).toThrow(
      'unknown stage connection "nope"; configured: local, s3, blob, sf_stage',
    );
    expect(() => createDestination(config, 'nope', logger)).toThrow(
      /unknown target connection "nope"; configured: warehouse, pg_target, sf/,
    );
    expect(() => createSource(config, 'nope', logger)).toThrow(
      expect.objectContaining({ name: 'TerminalError', code: 'CONFIG_ERROR' }),
    );
  });

  it.each([
    ['source', 'mssql', 'sqlserver'],
    ['source', 'td', 'teradata'],
  ] as const)('refuses %s connection %s of type %s as not supported yet', (role, name, type) => {
    const create = { source: createSource, stage: createStage, target: createDestination }[role];
    expect(() => create(config, name, logger)).toThrow(
      expect.objectContaining({
        name: 'TerminalError',
        code: 'CONFIG_ERROR',
        message: `${role} connection "${name}" (${type}): connections of type "${type}" are not supported yet`,
      }),
    );
  });

  it('builds the Azure Blob stage, refusing one without credentials', () => {
    expect(() => createStage(config, 'blob', logger)).toThrow(
      expect.objectContaining({
        name: 'TerminalError',
        code: 'CONFIG_ERROR',
        message: expect.stringContaining('set connection_string, or account_name with one of') as unknown,
      }),
    );
    expect(targetCapabilities('postgresql')?.stages).toContain('azure_blob');
  });

  it('builds the Snowflake target and stage, refusing a connection without an account', () => {
    for (const create of [
      () => createDestination(config, 'sf', logger),
      () => createStage(config, 'sf_stage', logger),
    ])
      expect(create).toThrow(
        expect.objectContaining({
          name: 'TerminalError',
          code: 'CONFIG_ERROR',
          message: expect.stringContaining('snowflake: missing "account"') as unknown,
        }),
      );
    expect(targetCapabilities('snowflake')?.stages).toEqual(['local', 's3', 'azure_blob', 'snowflake_stage']);
  });

  it('declares what each built destination loads', () => {
    expect(targetCapabilities('duckdb')?.formats).toEqual(['parquet', 'csv']);
    expect(targetCapabilities('snowflake')?.formats).toEqual(['parquet', 'csv']);
  });
});
