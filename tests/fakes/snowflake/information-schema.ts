import { duckLiteral } from './sql-text.js';

/**
 * A column's type as Snowflake's INFORMATION_SCHEMA.COLUMNS spells it. The fake keeps it (as JSON)
 * in the DuckDB column's comment at CREATE TABLE, so it follows RENAME and SWAP with the table.
 */
export type SnowflakeColumnType = {
  DATA_TYPE: string;
  NUMERIC_PRECISION?: number;
  NUMERIC_SCALE?: number;
  CHARACTER_MAXIMUM_LENGTH?: number;
  DATETIME_PRECISION?: number;
};

const MAX_TEXT = 16777216;
const MAX_BINARY = 8388608;

/** Snowflake's catalog spelling for a type of the contract's CREATE TABLE (aliases resolved). */
export function snowflakeColumnType(name: string, args: number[]): SnowflakeColumnType {
  const [p, s] = args;
  switch (name) {
    case 'NUMBER':
    case 'NUMERIC':
    case 'DECIMAL':
      return { DATA_TYPE: 'NUMBER', NUMERIC_PRECISION: p ?? 38, NUMERIC_SCALE: s ?? 0 };
    case 'INT':
    case 'INTEGER':
    case 'BIGINT':
    case 'SMALLINT':
    case 'TINYINT':
    case 'BYTEINT':
      return { DATA_TYPE: 'NUMBER', NUMERIC_PRECISION: 38, NUMERIC_SCALE: 0 };
    case 'FLOAT':
    case 'FLOAT4':
    case 'FLOAT8':
    case 'DOUBLE':
    case 'REAL':
      return { DATA_TYPE: 'FLOAT' };
    case 'VARCHAR':
    case 'STRING':
    case 'TEXT':
      return { DATA_TYPE: 'TEXT', CHARACTER_MAXIMUM_LENGTH: p ?? MAX_TEXT };
    case 'CHAR':
    case 'CHARACTER':
      return { DATA_TYPE: 'TEXT', CHARACTER_MAXIMUM_LENGTH: p ?? 1 };
    case 'BINARY':
    case 'VARBINARY':
      return { DATA_TYPE: 'BINARY', CHARACTER_MAXIMUM_LENGTH: p ?? MAX_BINARY };
    case 'TIME':
      return { DATA_TYPE: 'TIME', DATETIME_PRECISION: p ?? 9 };
    case 'TIMESTAMP_NTZ':
    case 'DATETIME':
    case 'TIMESTAMP':
      return { DATA_TYPE: 'TIMESTAMP_NTZ', DATETIME_PRECISION: p ?? 9 };
    case 'TIMESTAMP_TZ':
    case 'TIMESTAMP_LTZ':
      return { DATA_TYPE: name, DATETIME_PRECISION: p ?? 9 };
    default:
      // BOOLEAN, DATE, VARIANT, OBJECT, ARRAY
      return { DATA_TYPE: name };
  }
}

/** Snowflake's INFORMATION_SCHEMA.TABLES of one database, from DuckDB's catalog. */
export function informationSchemaTables(db: string): string {
  return (
    `(SELECT table_catalog AS "TABLE_CATALOG", table_schema AS "TABLE_SCHEMA", table_name AS "TABLE_NAME", ` +
    `table_type AS "TABLE_TYPE" FROM information_schema.tables WHERE table_catalog = ${duckLiteral(db)}) AS "TABLES"`
  );
}

const INTEGER_TYPES = `('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT')`;

/** A field of the kept Snowflake type, or what DuckDB's own type says (tables made outside CREATE TABLE). */
function kept(field: keyof SnowflakeColumnType, fallback: string, integer = true): string {
  const value = `json_extract_string(comment, '$.${field}')`;
  const cast = integer ? `CAST(${value} AS INTEGER)` : value;
  return `CASE WHEN comment IS NOT NULL AND comment <> '' THEN ${cast} ELSE ${fallback} END`;
}

/**
 * Snowflake's INFORMATION_SCHEMA.COLUMNS of one database: the types seen at CREATE TABLE, with
 * IS_NULLABLE 'YES'/'NO' and a 1-based ORDINAL_POSITION.
 */
export function informationSchemaColumns(db: string): string {
  const duckType =
    `CASE WHEN data_type LIKE 'DECIMAL%' OR data_type IN ${INTEGER_TYPES} THEN 'NUMBER' ` +
    `WHEN data_type IN ('DOUBLE', 'FLOAT') THEN 'FLOAT' WHEN data_type = 'VARCHAR' THEN 'TEXT' ` +
    `WHEN data_type = 'BLOB' THEN 'BINARY' WHEN data_type = 'TIMESTAMP' THEN 'TIMESTAMP_NTZ' ` +
    `WHEN data_type = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_TZ' WHEN data_type = 'JSON' THEN 'VARIANT' ` +
    `ELSE data_type END`;
  const precision = `CASE WHEN data_type LIKE 'DECIMAL%' THEN numeric_precision WHEN data_type IN ${INTEGER_TYPES} THEN 38 END`;
  const scale = `CASE WHEN data_type LIKE 'DECIMAL%' THEN numeric_scale WHEN data_type IN ${INTEGER_TYPES} THEN 0 END`;
  const length = `CASE WHEN data_type = 'VARCHAR' THEN ${MAX_TEXT} WHEN data_type = 'BLOB' THEN ${MAX_BINARY} END`;
  const datetime = `CASE WHEN data_type LIKE 'TIME%' THEN 9 END`;
  return (
    `(SELECT database_name AS "TABLE_CATALOG", schema_name AS "TABLE_SCHEMA", table_name AS "TABLE_NAME", ` +
    `column_name AS "COLUMN_NAME", CAST(column_index AS INTEGER) AS "ORDINAL_POSITION", ` +
    `CASE WHEN is_nullable THEN 'YES' ELSE 'NO' END AS "IS_NULLABLE", ` +
    `${kept('DATA_TYPE', duckType, false)} AS "DATA_TYPE", ` +
    `${kept('CHARACTER_MAXIMUM_LENGTH', length)} AS "CHARACTER_MAXIMUM_LENGTH", ` +
    `${kept('NUMERIC_PRECISION', precision)} AS "NUMERIC_PRECISION", ` +
    `${kept('NUMERIC_SCALE', scale)} AS "NUMERIC_SCALE", ` +
    `${kept('DATETIME_PRECISION', datetime)} AS "DATETIME_PRECISION" ` +
    `FROM duckdb_columns() WHERE database_name = ${duckLiteral(db)} AND NOT internal) AS "COLUMNS"`
  );
}
