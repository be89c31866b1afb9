export { createPostgresSource } from './source.js';
export { poolConfig } from './config.js';
export { logicalTypeOf, numericPrecisionScale } from './types.js';
