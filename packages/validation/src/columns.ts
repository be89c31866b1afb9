import type { LogicalType } from '@dxa/contracts';
import type { EncodedColumn } from './canonical/encode.js';
import type { Dialect } from './canonical/dialect.js';
import type { ValidationColumn } from './types.js';

/** A column present on both sides, matched by name (case-insensitively). */
export type ColumnPair = { name: string; source: ValidationColumn; target: ValidationColumn };

export type Pairing = {
  pairs: ColumnPair[];
  missingInTarget: ValidationColumn[];
  extraInTarget: ValidationColumn[];
  /** Pairs whose names differ only by case, e.g. `id` ↔ `ID` (reported as a note, not a difference). */
  caseOnly: ColumnPair[];
};

export function pairColumns(source: ValidationColumn[], target: ValidationColumn[]): Pairing {
  const byExact = new Map(target.map((c) => [c.name, c]));
  const byFolded = new Map<string, ValidationColumn>();
  for (const c of target) if (!byFolded.has(c.name.toLowerCase())) byFolded.set(c.name.toLowerCase(), c);
  const used = new Set<ValidationColumn>();
  const pairs: ColumnPair[] = [];
  const missingInTarget: ValidationColumn[] = [];
  for (const s of source) {
    const exact = byExact.get(s.name);
    const t = exact && !used.has(exact) ? exact : byFolded.get(s.name.toLowerCase());
    if (!t || used.has(t)) {
      missingInTarget.push(s);
      continue;
    }
    used.add(t);
    pairs.push({ name: s.name, source: s, target: t });
  }
  return {
    pairs,
    missingInTarget,
    extraInTarget: target.filter((c) => !used.has(c)),
    caseOnly: pairs.filter((p) => p.source.name !== p.target.name),
  };
}

const CHAR_TYPE = /^\s*(n?char|character|bpchar)\s*(\(|$)/i;

export function isPaddedChar(column: ValidationColumn): boolean {
  return CHAR_TYPE.test(column.engineType) && !/varying/i.test(column.engineType);
}

// A text side paired with one of these is read with the other side's normalisation, so a
// decimal or uuid kept as text on one engine still compares by value.
const TEXT_READABLE: readonly LogicalType[] = ['decimal', 'uuid', 'json'];

function encodingType(own: LogicalType, other: LogicalType): LogicalType {
  return own === 'text' && TEXT_READABLE.includes(other) ? other : own;
}

export function encodedColumn(d: Dialect, pair: ColumnPair, side: 'source' | 'target'): EncodedColumn {
  const own = pair[side];
  const other = side === 'source' ? pair.target : pair.source;
  return {
    name: pair.name,
    expr: d.ident(own.name),
    type: encodingType(own.type, other.type),
    trimPadding: isPaddedChar(pair.source) || isPaddedChar(pair.target),
  };
}

/** Lowercases result column names: Snowflake answers unquoted aliases in upper case. */
export function lowerKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A driver value as text (validation casts everything to text or integers in SQL). */
export function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return JSON.stringify(value);
}
