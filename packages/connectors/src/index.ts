// Types, the catalog and the registry only: importing this entry must not load any connector SDK
// (see registry.ts). Code that builds one connector directly imports '@dxa/connectors/src/factories.js'.
export * from './core/types.js';
export * from './core/describe.js';
export * from './catalog.js';
export * from './registry.js';
export type { S3StageConfig } from './stages/s3/description.js';
export type { AzureBlobStageConfig } from './stages/azure-blob/description.js';
export type { SnowflakeStageConfig } from './stages/snowflake/description.js';
export { sourceRelation } from './core/validation-relations.js';
export type { DuckdbDestinationOptions } from './destinations/duckdb/index.js';
export { logicalTypeOf } from './sources/postgres/types.js';
export { connectionLabel } from './core/named-errors.js';
