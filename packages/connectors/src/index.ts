export * from './core/types.js';
export * from './registry.js';
export { createLocalStage } from './stages/local/index.js';
export { createS3Stage, type S3StageConfig } from './stages/s3/index.js';
export { createDuckdbDestination, type DuckdbDestinationOptions } from './destinations/duckdb/index.js';
export { createPostgresSource } from './sources/postgres/index.js';
export { createPostgresDestination } from './destinations/postgres/index.js';
