import { getConnection, type ConnectionRole, type DxaConfig, type TargetConnection } from '@dxa/config';
import type { FileFormat } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { DestinationConnector, SourceConnector, StageConnector } from './core/types.js';
import { createDuckdbDestination } from './destinations/duckdb/index.js';
import { createPostgresDestination } from './destinations/postgres/index.js';
import { createSnowflakeDestination } from './destinations/snowflake/index.js';
import { createPostgresSource } from './sources/postgres/index.js';
import { createLocalStage } from './stages/local/index.js';
import { createS3Stage } from './stages/s3/index.js';
import { createSnowflakeStage } from './stages/snowflake/index.js';
import { createAzureBlobStage } from './stages/azure-blob/index.js';

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
  duckdb: { formats: ['parquet', 'csv'], stages: ['local'], transactional: true },
  // It streams staged files through the stage itself, so any stage works.
  postgresql: { formats: ['csv', 'parquet'], stages: ['local', 's3', 'azure_blob'], transactional: true },
  // COPY reads a Snowflake stage in place, cloud stages through a temporary external stage, local files after PUT.
  snowflake: {
    formats: ['parquet', 'csv'],
    stages: ['local', 's3', 'azure_blob', 'snowflake_stage'],
    transactional: true,
  },
};

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
      return createPostgresSource(conn, logger.child({ connection: name }));
    case 'sqlserver':
    case 'teradata':
    case 'mysql':
      throw notSupported('source', name, conn.type);
  }
}

export function createStage(config: DxaConfig, name: string, logger: Logger): StageConnector {
  const conn = getConnection(config, 'stage', name);
  switch (conn.type) {
    case 'local':
      return createLocalStage(conn, logger.child({ connection: name }));
    case 's3':
      return createS3Stage(conn, logger.child({ connection: name }));
    case 'azure_blob':
      return createAzureBlobStage(conn, logger.child({ connection: name }));
    case 'snowflake_stage': {
      // The stage lives in the account of the Snowflake target it names, and logs in as that target.
      const target = getConnection(config, 'target', conn.connection);
      if (target.type !== 'snowflake')
        throw new TerminalError(
          'CONFIG_ERROR',
          `stage connection "${name}": connection "${conn.connection}" must be a Snowflake target, not "${target.type}"`,
        );
      return createSnowflakeStage(conn, target, logger.child({ connection: name }));
    }
  }
}

export function createDestination(config: DxaConfig, name: string, logger: Logger): DestinationConnector {
  const conn = getConnection(config, 'target', name);
  switch (conn.type) {
    case 'duckdb':
      return createDuckdbDestination(conn, logger.child({ connection: name }));
    case 'postgresql':
      return createPostgresDestination(conn, logger.child({ connection: name }));
    case 'snowflake':
      return createSnowflakeDestination(conn, logger.child({ connection: name }));
  }
}
