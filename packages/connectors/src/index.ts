export * from './core/types.js';
export * from './registry.js';
export { sourceRelation } from './core/validation-relations.js';
// Types only: importing this entry must not load any connector SDK (see registry.ts). Code that
// builds one connector directly imports '@dxa/connectors/src/factories.js'.
export type { S3StageConfig } from './stages/s3/index.js';
export type { AzureBlobStageConfig } from './stages/azure-blob/index.js';
export type { DuckdbDestinationOptions } from './destinations/duckdb/index.js';
export type { SnowflakeStageConfig } from './stages/snowflake/index.js';
export { logicalTypeOf } from './sources/postgres/types.js';
