import type { Column, LogicalType } from '../../core/types.js';

/** A column as information_schema.columns describes it. */
export type CatalogColumn = {
  name: string;
  dataType: string;
  columnType: string;
  nullable: boolean;
  precision: number | null;
  scale: number | null;
  /** MariaDB's JSON is longtext with a json_valid() check; MySQL's has data_type json. */
  json: boolean;
};

// tinyint(1) stays int16: MySQL spells BOOLEAN that way but also stores 0..127 in it.
const BY_DATA_TYPE: Record<string, LogicalType> = {
  tinyint: 'int16',
  year: 'int16',
  mediumint: 'int32',
  float: 'float32',
  double: 'float64',
  real: 'float64',
  date: 'date',
  datetime: 'timestamp',
  // Stored in UTC and read in a '+00:00' session: written as UTC with `+00`.
  timestamp: 'timestamptz',
  // TIME spans -838:59:59..838:59:59, beyond a time of day: it travels as text.
  time: 'text',
  json: 'json',
  binary: 'binary',
  varbinary: 'binary',
  tinyblob: 'binary',
  blob: 'binary',
  mediumblob: 'binary',
  longblob: 'binary',
  // bit(n) is n bits packed big-endian into bytes: binary keeps every width exact.
  bit: 'binary',
  // Spatial values are MySQL's internal WKB (4-byte SRID + WKB): bytes, not text.
  geometry: 'binary',
  point: 'binary',
  linestring: 'binary',
  polygon: 'binary',
  multipoint: 'binary',
  multilinestring: 'binary',
  multipolygon: 'binary',
  geometrycollection: 'binary',
  // char, varchar, *text, enum, set, inet4/6, uuid and anything unknown: text.
};

export function catalogToColumn(c: CatalogColumn): Column {
  const unsigned = /\bunsigned\b/i.test(c.columnType);
  const column: Column = { name: c.name, sourceType: c.columnType, type: 'text', nullable: c.nullable };
  switch (c.dataType) {
    case 'smallint':
      column.type = unsigned ? 'int32' : 'int16';
      break;
    case 'int':
    case 'integer':
      column.type = unsigned ? 'int64' : 'int32';
      break;
    case 'bigint':
      if (unsigned) Object.assign(column, { type: 'decimal', precision: 20, scale: 0 });
      else column.type = 'int64';
      break;
    case 'decimal':
    case 'numeric':
      column.type = 'decimal';
      if (c.precision !== null) Object.assign(column, { precision: c.precision, scale: c.scale ?? 0 });
      break;
    default:
      column.type = c.json ? 'json' : (BY_DATA_TYPE[c.dataType] ?? 'text');
  }
  return column;
}

/** Protocol column types (mysql2's Types), for query sources and the extract's encoders. */
export const T = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;

const UNSIGNED_FLAG = 32;
const BINARY_CHARSET = 63;
const STRING_TYPES: ReadonlySet<number> = new Set([
  T.VARCHAR,
  T.TINY_BLOB,
  T.MEDIUM_BLOB,
  T.LONG_BLOB,
  T.BLOB,
  T.VAR_STRING,
  T.STRING,
]);

/** The result-set metadata of one column (mysql2's FieldPacket, the parts we read). */
export type FieldInfo = {
  name: string;
  columnType?: number | undefined;
  characterSet?: number | undefined;
  flags?: number | undefined;
  columnLength?: number | undefined;
  decimals?: number | undefined;
};

/** Whether a result column carries bytes (binary strings, blobs, bit, geometry). */
export function isBinaryField(f: FieldInfo): boolean {
  const type = f.columnType ?? T.VAR_STRING;
  if (type === T.BIT || type === T.GEOMETRY) return true;
  return STRING_TYPES.has(type) && f.characterSet === BINARY_CHARSET;
}

/** Logical type of a query result column (no catalog behind it, so JSON in MariaDB is text). */
export function fieldToColumn(f: FieldInfo): Column {
  const unsigned = ((f.flags ?? 0) & UNSIGNED_FLAG) !== 0;
  const column: Column = { name: f.name, sourceType: 'unknown', type: 'text', nullable: true };
  const set = (type: LogicalType, sourceType: string) => Object.assign(column, { type, sourceType });
  switch (f.columnType) {
    case T.TINY:
      return set('int16', 'tinyint');
    case T.SHORT:
      return set(unsigned ? 'int32' : 'int16', 'smallint');
    case T.YEAR:
      return set('int16', 'year');
    case T.INT24:
      return set('int32', 'mediumint');
    case T.LONG:
      return set(unsigned ? 'int64' : 'int32', 'int');
    case T.LONGLONG:
      return unsigned
        ? Object.assign(set('decimal', 'bigint unsigned'), { precision: 20, scale: 0 })
        : set('int64', 'bigint');
    case T.FLOAT:
      return set('float32', 'float');
    case T.DOUBLE:
      return set('float64', 'double');
    case T.DECIMAL:
    case T.NEWDECIMAL: {
      // columnLength counts the sign and the point: precision = length - (scale > 0) - !unsigned.
      const scale = f.decimals ?? 0;
      const precision = (f.columnLength ?? 0) - (scale > 0 ? 1 : 0) - (unsigned ? 0 : 1);
      set('decimal', 'decimal');
      return precision > 0 ? Object.assign(column, { precision, scale }) : column;
    }
    case T.DATE:
    case T.NEWDATE:
      return set('date', 'date');
    case T.DATETIME:
      return set('timestamp', 'datetime');
    case T.TIMESTAMP:
      return set('timestamptz', 'timestamp');
    case T.TIME:
      return set('text', 'time');
    case T.JSON:
      return set('json', 'json');
    default:
      return isBinaryField(f) ? set('binary', 'binary') : set('text', 'text');
  }
}
