import type { Column, LogicalType } from '../../core/types.js';

/** A column's type after domains are resolved to their base type. */
export type PgTypeInfo = {
  name: string;
  /** Schema of the base type; built-in types live in pg_catalog. */
  schema: string;
  /** The base type's type modifier (-1 when none). */
  typmod: number;
  /** The type as PostgreSQL spells it, e.g. `numeric(12,2)` or the domain name. */
  sourceType: string;
};

const BUILTIN: Record<string, LogicalType> = {
  bool: 'boolean',
  int2: 'int16',
  int4: 'int32',
  int8: 'int64',
  float4: 'float32',
  float8: 'float64',
  numeric: 'decimal',
  bytea: 'binary',
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  interval: 'interval',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'json',
  // text, varchar, bpchar, name, "char", timetz, arrays, enums, ranges, … all fall back to text.
};

/** Engine-neutral type of a PostgreSQL base type; anything unknown travels losslessly as text. */
export function logicalTypeOf(info: Pick<PgTypeInfo, 'name' | 'schema'>): LogicalType {
  if (info.schema !== 'pg_catalog') return 'text'; // citext and other extension types
  return BUILTIN[info.name] ?? 'text';
}

/**
 * numeric typmod → precision and scale. PostgreSQL 15 allows a negative scale (`numeric(5,-2)`)
 * and a scale above the precision (`numeric(2,4)`); both become an ordinary decimal that holds
 * every value: `(7,0)` and `(4,4)`.
 */
export function numericPrecisionScale(typmod: number): { precision: number; scale: number } | undefined {
  if (typmod < 4) return undefined; // unconstrained numeric
  const packed = typmod - 4;
  const precision = (packed >> 16) & 0xffff;
  const scale = ((packed & 0x7ff) ^ 0x400) - 0x400; // 11-bit two's complement
  if (scale < 0) return { precision: precision - scale, scale: 0 };
  return { precision: Math.max(precision, scale), scale };
}

export function toColumn(name: string, info: PgTypeInfo, nullable: boolean): Column {
  const type = logicalTypeOf(info);
  const column: Column = { name, sourceType: info.sourceType, type, nullable };
  if (type === 'decimal') {
    const ps = numericPrecisionScale(info.typmod);
    if (ps) Object.assign(column, ps);
  }
  return column;
}
