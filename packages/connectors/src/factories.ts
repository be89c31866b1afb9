// Every connector factory, imported eagerly with its SDK, plus all of the package entry. For tests
// and tools that build one connector directly; the worker goes through registry.ts, which imports
// only the kinds its configuration uses.
export * from './index.js';
export { createLocalStage } from './stages/local/index.js';
export { createS3Stage } from './stages/s3/index.js';
export { createAzureBlobStage } from './stages/azure-blob/index.js';
export { createDuckdbDestination } from './destinations/duckdb/index.js';
export { createPostgresSource } from './sources/postgres/index.js';
export { createMysqlSource } from './sources/mysql/index.js';
export { createPostgresDestination } from './destinations/postgres/index.js';
export { createSnowflakeDestination } from './destinations/snowflake/index.js';
export { createSnowflakeStage } from './stages/snowflake/index.js';
