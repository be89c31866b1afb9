import { quoteIdentifier } from '@dxa/contracts';
import type { EncodeColumn } from './types.js';

/** DuckDB's largest DECIMAL precision; wider numerics stay text so no digit is lost. */
const DUCKDB_MAX_DECIMAL_PRECISION = 38;

export const quoteDuckdbIdent = quoteIdentifier;

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

/** Interchange dates and timestamps before year 1 end in ` BC`; DuckDB reads `(BC)` for dates only. */
function bcDate(field: string): string {
  return `CAST(split_part(${field}, ' ', 1) || ' (BC)' AS DATE)`;
}

/** Date plus the time of day (any UTC offset after it dropped: interchange timestamptz is UTC). */
function bcTimestamp(field: string): string {
  return `${bcDate(field)} + CAST(regexp_extract(split_part(${field}, ' ', 2), '^[0-9:.]+') AS TIME)`;
}

/**
 * Expression turning one interchange-CSV text field into its typed value. Fields are read as
 * VARCHAR and cast explicitly: DuckDB's typed CSV reader turns unparseable values into NULL
 * silently, an explicit CAST fails loudly instead. `infinity`/`-infinity` cast as they are.
 */
function castExpression(col: EncodeColumn): string {
  const field = quoteDuckdbIdent(col.name);
  const type = duckdbColumnType(col);
  const isBc = `suffix(${field}, ' BC')`;
  switch (col.type) {
    case 'binary':
      // Interchange binary is `\x` followed by hex digits.
      return `from_hex(substr(${field}, 3))`;
    case 'date':
      // DuckDB would read `0044-03-15 BC` as year 44 AD, so BC is rewritten explicitly.
      return `CASE WHEN ${isBc} THEN ${bcDate(field)} ELSE CAST(${field} AS DATE) END`;
    case 'timestamp':
      return `CASE WHEN ${isBc} THEN ${bcTimestamp(field)} ELSE CAST(${field} AS TIMESTAMP) END`;
    case 'timestamptz':
      return `CASE WHEN ${isBc} THEN timezone('UTC', ${bcTimestamp(field)}) ELSE CAST(${field} AS TIMESTAMPTZ) END`;
    case 'interval':
      // PostgreSQL writes mixed-sign intervals as `1 year -2 mons +3 days`; DuckDB rejects the `+`.
      return `CAST(replace(${field}, '+', '') AS INTERVAL)`;
    default:
      return type === 'VARCHAR' ? field : `CAST(${field} AS ${type})`;
  }
}

export type ReadCsvOptions = {
  /**
   * false forces a single-threaded scan of each file. Set it for uncompressed files that may hold
   * newlines inside quoted fields: DuckDB's parallel scan can start a row inside such a field.
   */
  parallel?: boolean;
};

// Longest row DuckDB accepts (its default is 2 MB, too small for large JSON or bytea values). The
// read buffer must be a few times larger; it stays at DuckDB's default of 32 MB because a buffer is
// held per file being scanned and larger ones run out of memory with many threads.
const MAX_LINE_BYTES = 8 << 20;
const BUFFER_BYTES = 32 << 20;

/** SELECT over interchange-CSV files yielding typed columns named as in the source. */
export function duckdbReadCsvSql(
  paths: string[],
  columns: EncodeColumn[],
  options: ReadCsvOptions = {},
): string {
  const fileList = `[${paths.map(quoteDuckdbString).join(', ')}]`;
  const csvColumns = `{${columns.map((c) => `${quoteDuckdbString(c.name)}: 'VARCHAR'`).join(', ')}}`;
  const select = columns.map((c) => `${castExpression(c)} AS ${quoteDuckdbIdent(c.name)}`).join(', ');
  const csvOptions = [
    'header = true',
    "delim = ','",
    `quote = '"'`,
    `escape = '"'`,
    "new_line = '\\n'",
    'auto_detect = false',
    // `""` is an empty string; only an unquoted empty field is NULL.
    'allow_quoted_nulls = false',
    'strict_mode = true',
    `max_line_size = ${MAX_LINE_BYTES}`,
    `buffer_size = ${BUFFER_BYTES}`,
    ...(options.parallel === undefined ? [] : [`parallel = ${options.parallel}`]),
    `columns = ${csvColumns}`,
  ].join(', ');
  return `SELECT ${select} FROM read_csv(${fileList}, ${csvOptions})`;
}
