import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeValue,
  DuckDBTypeId,
  type DuckDBResultReader,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

/** One column of a JSON-format result (`data.rowtype[]`), as `connection/result/column.js` reads it. */
export type ResultColumn = {
  name: string;
  type:
    | 'text'
    | 'fixed'
    | 'real'
    | 'boolean'
    | 'date'
    | 'time'
    | 'timestamp_ntz'
    | 'timestamp_tz'
    | 'binary'
    | 'variant';
  precision: number | null;
  scale: number | null;
  length: number | null;
  nullable: boolean;
};

/** Statement type ids the SDK looks at (`connection/result/statement_type.js`). */
export const STATEMENT_TYPE = {
  select: 0x1000,
  dml: 0x3000,
  insert: 0x3100,
  transaction: 0x5000,
  ddl: 0x6000,
};

export type RowsResult = {
  kind: 'rows';
  columns: ResultColumn[];
  /** Every value a string (or null), as Snowflake's JSON result format sends them. */
  rows: (string | null)[][];
  statementTypeId: number;
};

/** PUT / GET: the SDK's FileTransferAgent reads `data` and moves the files itself. */
export type FileTransferResult = { kind: 'file-transfer'; data: Record<string, unknown> };

export type StatementResult = RowsResult | FileTransferResult;

export function column(
  name: string,
  type: ResultColumn['type'],
  extra: Partial<ResultColumn> = {},
): ResultColumn {
  const defaults: Partial<ResultColumn> =
    type === 'fixed' ? { precision: 38, scale: 0 } : type === 'text' ? { length: 16777216 } : {};
  return { name, type, precision: null, scale: null, length: null, nullable: true, ...defaults, ...extra };
}

export function statusResult(message: string, statementTypeId = STATEMENT_TYPE.ddl): RowsResult {
  return { kind: 'rows', columns: [column('status', 'text')], rows: [[message]], statementTypeId };
}

function columnFor(name: string, type: DuckDBType): ResultColumn {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return column(name, 'boolean');
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
      return column(name, 'fixed', { precision: 10 });
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
      return column(name, 'fixed', { precision: 19 });
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return column(name, 'fixed', { precision: 38 });
    case DuckDBTypeId.DECIMAL:
      return column(name, 'fixed', { precision: type.width, scale: type.scale });
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return column(name, 'real');
    case DuckDBTypeId.DATE:
      return column(name, 'date');
    case DuckDBTypeId.TIME:
      return column(name, 'time', { scale: 9 });
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return column(name, 'timestamp_ntz', { scale: 9 });
    case DuckDBTypeId.TIMESTAMP_TZ:
      return column(name, 'timestamp_tz', { scale: 9 });
    case DuckDBTypeId.BLOB:
      return column(name, 'binary', { length: 8388608 });
    default:
      return type.alias === 'JSON' ? column(name, 'variant') : column(name, 'text');
  }
}

/** `<seconds>.<9 fraction digits>` from nanoseconds since the epoch (negative before 1970). */
function epochSeconds(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const whole = abs / 1_000_000_000n;
  const fraction = (abs % 1_000_000_000n).toString().padStart(9, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

function toWire(value: DuckDBValue): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof DuckDBTimestampTZValue) return `${epochSeconds(value.micros * 1000n)} 1440`;
  if (value instanceof DuckDBTimestampValue) return epochSeconds(value.micros * 1000n);
  if (value instanceof DuckDBTimestampNanosecondsValue) return epochSeconds(value.nanos);
  if (value instanceof DuckDBTimeValue) return epochSeconds(value.micros * 1000n);
  if (value instanceof DuckDBDateValue) return String(value.days);
  if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('hex').toUpperCase();
  if (value instanceof DuckDBTimestampMillisecondsValue) return epochSeconds(value.millis * 1_000_000n);
  if (value instanceof DuckDBTimestampSecondsValue) return epochSeconds(value.seconds * 1_000_000_000n);
  return String(value);
}

/** Snowflake upper-cases expression column names (`COUNT(*)`, `CURRENT_DATABASE()`); DuckDB does not. */
function snowflakeColumnName(name: string): string {
  if (name === 'count_star()') return 'COUNT(*)';
  return /[()]/.test(name) ? name.toUpperCase() : name;
}

export function rowsFromDuckdb(reader: DuckDBResultReader, statementTypeId: number): RowsResult {
  const types = reader.columnTypes();
  const columns = reader.columnNames().map((name, i) => columnFor(snowflakeColumnName(name), types[i]!));
  const rows = reader.getRows().map((row) => row.map((value) => toWire(value)));
  return { kind: 'rows', columns, rows, statementTypeId };
}

/** Rows of literal values (LIST, COPY results): numbers and strings become wire strings. */
export function literalRows(columns: ResultColumn[], rows: (string | number | null)[][]): RowsResult {
  return {
    kind: 'rows',
    columns,
    rows: rows.map((row) => row.map((v) => (v === null ? null : String(v)))),
    statementTypeId: STATEMENT_TYPE.select,
  };
}
