export { createMysqlSource } from './source.js';
export { poolOptions } from './config.js';
export { catalogToColumn, fieldToColumn } from './types.js';
