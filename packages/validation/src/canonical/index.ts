import type { DialectName } from '../types.js';
import type { Dialect } from './dialect.js';
import { duckdb } from './duckdb.js';
import { mysql } from './mysql.js';
import { postgresql } from './postgresql.js';
import { snowflake } from './snowflake.js';
import { sqlserver } from './sqlserver.js';

export type { Dialect, SelectOptions, TemporalParts } from './dialect.js';
export { whereClause } from './dialect.js';
export * from './encode.js';

const DIALECTS: Record<DialectName, Dialect> = { postgresql, duckdb, mysql, snowflake, sqlserver };

export function dialectFor(name: DialectName): Dialect {
  return DIALECTS[name];
}
