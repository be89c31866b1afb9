/**
 * Engine-neutral column types. Every source maps its catalog types to these; every target maps
 * these to its own DDL. `text` is the lossless fallback for types a target cannot hold.
 */
export const LOGICAL_TYPES = [
  'boolean',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'decimal',
  'text',
  'binary',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'interval',
  'uuid',
  'json',
] as const;

export type LogicalType = (typeof LOGICAL_TYPES)[number];

export function isLogicalType(type: string): type is LogicalType {
  return (LOGICAL_TYPES as readonly string[]).includes(type);
}

export type Column = {
  name: string;
  /** The type as the source spells it, e.g. `numeric(12,2)`. */
  sourceType: string;
  type: LogicalType;
  nullable: boolean;
  /** For decimal: total digits and digits after the point. */
  precision?: number;
  scale?: number;
};
