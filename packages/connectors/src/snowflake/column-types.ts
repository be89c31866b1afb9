import type { FileFormat } from '@dxa/contracts';
import type { Column } from '../core/types.js';
import { qualified, quoteIdent, type TableName } from './names.js';

/** Snowflake's largest NUMBER precision; wider (and unconstrained) decimals stay text, as in the Parquet parts. */
const MAX_NUMBER_PRECISION = 38;

/**
 * The Snowflake type for an engine-neutral column type (docs/type-mapping.md). COPY fills columns
 * without transformation, so each type must accept what the staged file holds: JSON stays VARCHAR
 * (a VARIANT would hold the JSON *string*, not the document), intervals are text, and CSV binary
 * (`\x00ff`) is not Snowflake's HEX format, so it stays VARCHAR for CSV loads.
 */
export function snowflakeColumnType(col: Column, format: FileFormat): string {
  switch (col.type) {
    case 'boolean':
      return 'BOOLEAN';
    case 'int16':
      return 'NUMBER(5,0)';
    case 'int32':
      return 'NUMBER(10,0)';
    case 'int64':
      return 'NUMBER(19,0)';
    case 'float32':
    case 'float64':
      return 'FLOAT';
    case 'decimal':
      return col.precision !== undefined && col.precision <= MAX_NUMBER_PRECISION
        ? `NUMBER(${col.precision},${col.scale ?? 0})`
        : 'VARCHAR';
    case 'text':
    case 'interval':
    case 'json':
      return 'VARCHAR';
    case 'binary':
      return format === 'parquet' ? 'BINARY' : 'VARCHAR';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME(9)';
    case 'timestamp':
      return 'TIMESTAMP_NTZ(9)';
    case 'timestamptz':
      return 'TIMESTAMP_TZ(9)';
    case 'uuid':
      return 'VARCHAR(36)';
  }
}

export function createTableSql(
  name: TableName,
  columns: Column[],
  format: FileFormat,
  ifNotExists = false,
): string {
  const defs = columns.map(
    (c) => `${quoteIdent(c.name)} ${snowflakeColumnType(c, format)}${c.nullable ? '' : ' NOT NULL'}`,
  );
  return `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${qualified(name)} (${defs.join(', ')})`;
}
