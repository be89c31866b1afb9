import type { EncodeColumn } from './types.js';

/** DuckDB's largest DECIMAL precision; wider numerics stay text so no digit is lost. */
const DUCKDB_MAX_DECIMAL_PRECISION = 38;

export function quoteDuckdbIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteDuckdbString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** DuckDB column type for an engine-neutral column type. */
export function duckdbColumnType(col: EncodeColumn): string {
  switch (col.type) {
    case 'boolean':
      return 'BOOLEAN';
    case 'int16':
      return 'SMALLINT';
    case 'int32':
      return 'INTEGER';
    case 'int64':
      return 'BIGINT';
    case 'float32':
      return 'FLOAT';
    case 'float64':
      return 'DOUBLE';
    case 'decimal':
      return col.precision !== undefined && col.precision <= DUCKDB_MAX_DECIMAL_PRECISION
        ? `DECIMAL(${col.precision},${col.scale ?? 0})`
        : 'VARCHAR';
    case 'binary':
      return 'BLOB';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'timestamptz':
      return 'TIMESTAMPTZ';
    case 'interval':
      return 'INTERVAL';
    case 'uuid':
      return 'UUID';
    case 'json':
      return 'JSON';
    default:
      return 'VARCHAR';
  }
}

/**
 * Expression turning one interchange-CSV text field into its typed value. Fields are read as
 * VARCHAR and cast explicitly: DuckDB's typed CSV reader turns unparseable values into NULL
 * silently, an explicit CAST fails loudly instead.
 */
function castExpression(col: EncodeColumn): string {
  const field = quoteDuckdbIdent(col.name);
  const type = duckdbColumnType(col);
  switch (col.type) {
    case 'binary':
      // Interchange binary is `\x` followed by hex digits.
      return `from_hex(substr(${field}, 3))`;
    case 'date':
      return `CAST(regexp_replace(${field}, ' BC$', ' (BC)') AS DATE)`;
    default:
      return type === 'VARCHAR' ? field : `CAST(${field} AS ${type})`;
  }
}

/** SELECT over interchange-CSV files yielding typed columns named as in the source. */
export function duckdbReadCsvSql(paths: string[], columns: EncodeColumn[]): string {
  const fileList = `[${paths.map(quoteDuckdbString).join(', ')}]`;
  const csvColumns = `{${columns.map((c) => `${quoteDuckdbString(c.name)}: 'VARCHAR'`).join(', ')}}`;
  const select = columns.map((c) => `${castExpression(c)} AS ${quoteDuckdbIdent(c.name)}`).join(', ');
  const options = [
    'header = true',
    "delim = ','",
    `quote = '"'`,
    `escape = '"'`,
    'auto_detect = false',
    // `""` is an empty string; only an unquoted empty field is NULL.
    'allow_quoted_nulls = false',
    'strict_mode = true',
    `columns = ${csvColumns}`,
  ].join(', ');
  return `SELECT ${select} FROM read_csv(${fileList}, ${options})`;
}
