export * from './types.js';
export * from './endpoint.js';
export {
  dialectFor,
  whereClause,
  canonicalValue,
  rowText,
  rowTextOf,
  lengthPrefixed,
  NULL_MARKER,
} from './canonical/index.js';
export type { Dialect, EncodedColumn, SelectOptions, TemporalParts } from './canonical/index.js';
export { encodedColumn, pairColumns, type ColumnPair, type Pairing } from './columns.js';
export { compareSchemas, typesCompatible, type SchemaDifference } from './levels/schema.js';
export {
  DEFAULT_FLOAT_TOLERANCE,
  withinTolerance,
  type MetricDifference,
  type MetricName,
} from './levels/metrics.js';
export { bucketCount, ROWS_PER_BUCKET } from './levels/rows-sql.js';
export { runValidation, DEFAULT_MAX_DIFFERENCES, type ValidationReport, type SideInfo } from './run.js';
export { writeReports, markdownSummary, differencesCsv } from './reports.js';
