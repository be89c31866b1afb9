export * from './types.js';
export * from './duckdb-csv.js';
export * from './csv-parts.js';
export * from './gzip-parts.js';
export * from './parquet-parts.js';
export * from './manifest.js';
export { parseCsvLine } from './csv-header.js';
export { partName } from './part-files.js';
