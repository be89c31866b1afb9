export * from './identifiers.js';
export * from './read-only-sql.js';
export * from './job-spec.js';
export * from './catalog.js';
export * from './job-view.js';
export * from './queue-names.js';
export const PRODUCT_VERSION = '0.1.0';
export * from './column-types.js';
export * from './partitions.js';
