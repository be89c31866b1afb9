import {
  connectionNames,
  getConnection,
  type ConnectionRole,
  type DxaConfig,
  type TargetConnection,
} from '@dxa/config';
import type { FileFormat } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { DestinationConnector, SourceConnector, StageConnector } from './core/types.js';

export type DestinationKind = TargetConnection['type'];

/** What a destination can load; the planner checks these before enqueueing. */
export type DestinationCapabilities = {
  /** File formats it reads from a stage. */
  formats: readonly FileFormat[];
  /** Stage kinds it can read from. */
  stages: readonly string[];
  /** Whether a load is all-or-nothing. */
  transactional: boolean;
};

/** Destinations built so far; a kind missing here is not supported yet. */
export const capabilities: Partial<Record<DestinationKind, DestinationCapabilities>> = {
  duckdb: {
    formats: ['parquet', 'csv'],
    stages: ['local', 's3', 'azure_blob', 'snowflake_stage'],
    transactional: true,
  },
  // It streams staged files through the stage itself, so any stage works.
  postgresql: { formats: ['csv', 'parquet'], stages: ['local', 's3', 'azure_blob'], transactional: true },
  // COPY reads a Snowflake stage in place, cloud stages through a temporary external stage, local files after PUT.
  snowflake: {
    formats: ['parquet', 'csv'],
    stages: ['local', 's3', 'azure_blob', 'snowflake_stage'],
    transactional: true,
  },
};

/*
 * Each connector's module (and the SDK it drags in: snowflake-sdk, @aws-sdk, @azure...) is imported
 * only when a connection of its kind is configured: those SDKs cost a worker tens of MB of heap it
 * never uses otherwise. Modules load once per process and are kept here for the synchronous
 * factories below.
 */
const moduleLoaders = {
  'source:postgresql': () => import('./sources/postgres/index.js'),
  'source:mysql': () => import('./sources/mysql/index.js'),
  'stage:local': () => import('./stages/local/index.js'),
  'stage:s3': () => import('./stages/s3/index.js'),
  'stage:azure_blob': () => import('./stages/azure-blob/index.js'),
  'stage:snowflake_stage': () => import('./stages/snowflake/index.js'),
  'target:duckdb': () => import('./destinations/duckdb/index.js'),
  'target:postgresql': () => import('./destinations/postgres/index.js'),
  'target:snowflake': () => import('./destinations/snowflake/index.js'),
};
type ModuleKey = keyof typeof moduleLoaders;
type ConnectorModule<K extends ModuleKey> = Awaited<ReturnType<(typeof moduleLoaders)[K]>>;

const loaded = new Map<ModuleKey, unknown>();

function isModuleKey(key: string): key is ModuleKey {
  return Object.hasOwn(moduleLoaders, key);
}

async function loadModule(key: ModuleKey): Promise<void> {
  if (!loaded.has(key)) loaded.set(key, await moduleLoaders[key]());
}

function loadedModule<K extends ModuleKey>(key: K): ConnectorModule<K> {
  const mod = loaded.get(key);
  // A programming error, not a configuration one: the caller skipped loadConnectorModules.
  if (mod === undefined)
    throw new Error(`connector module "${key}" is not loaded; await loadConnectorModules(config) first`);
  return mod as ConnectorModule<K>;
}

/**
 * Imports the modules of every connection kind the configuration uses (and only those). Call it
 * once before the synchronous factories below; kinds not supported yet are left to them to refuse.
 */
export async function loadConnectorModules(config: DxaConfig): Promise<void> {
  const names = connectionNames(config);
  const keys = new Set<ModuleKey>();
  for (const role of ['source', 'stage', 'target'] as const)
    for (const name of names[role]) {
      const key = `${role}:${getConnection(config, role, name).type}`;
      if (isModuleKey(key)) keys.add(key);
    }
  await Promise.all([...keys].map(loadModule));
}

/** Whether the module of a connection kind has been imported (tests check what stays unloaded). */
export function isConnectorModuleLoaded(role: ConnectionRole, type: string): boolean {
  const key = `${role}:${type}`;
  return isModuleKey(key) && loaded.has(key);
}

function notSupported(role: ConnectionRole, name: string, type: string): TerminalError {
  return new TerminalError(
    'CONFIG_ERROR',
    `${role} connection "${name}": connections of type "${type}" are not supported yet`,
  );
}

export function createSource(config: DxaConfig, name: string, logger: Logger): SourceConnector {
  const conn = getConnection(config, 'source', name);
  switch (conn.type) {
    case 'postgresql':
      return loadedModule('source:postgresql').createPostgresSource(conn, logger.child({ connection: name }));
    case 'mysql':
      return loadedModule('source:mysql').createMysqlSource(conn, logger.child({ connection: name }));
    case 'sqlserver':
    case 'teradata':
      throw notSupported('source', name, conn.type);
  }
}

export function createStage(config: DxaConfig, name: string, logger: Logger): StageConnector {
  const conn = getConnection(config, 'stage', name);
  const log = logger.child({ connection: name });
  switch (conn.type) {
    case 'local':
      return loadedModule('stage:local').createLocalStage(conn, log);
    case 's3':
      return loadedModule('stage:s3').createS3Stage(conn, log);
    case 'azure_blob':
      return loadedModule('stage:azure_blob').createAzureBlobStage(conn, log);
    case 'snowflake_stage': {
      // The stage lives in the account of the Snowflake target it names, and logs in as that target.
      const target = getConnection(config, 'target', conn.connection);
      if (target.type !== 'snowflake')
        throw new TerminalError(
          'CONFIG_ERROR',
          `stage connection "${name}": connection "${conn.connection}" must be a Snowflake target, not "${target.type}"`,
        );
      return loadedModule('stage:snowflake_stage').createSnowflakeStage(conn, target, log);
    }
  }
}

export function createDestination(config: DxaConfig, name: string, logger: Logger): DestinationConnector {
  const conn = getConnection(config, 'target', name);
  const log = logger.child({ connection: name });
  switch (conn.type) {
    case 'duckdb':
      return loadedModule('target:duckdb').createDuckdbDestination(conn, log);
    case 'postgresql':
      return loadedModule('target:postgresql').createPostgresDestination(conn, log);
    case 'snowflake':
      return loadedModule('target:snowflake').createSnowflakeDestination(conn, log);
  }
}
