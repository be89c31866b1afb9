import type { LogicalType } from '@dxa/contracts';
import type { Pairing } from '../columns.js';
import type { ValidationColumn } from '../types.js';

export type SchemaDifference = {
  column: string;
  kind: 'missing_in_target' | 'extra_in_target' | 'type_mismatch' | 'nullability' | 'precision';
  source: string | null;
  target: string | null;
};

const INTEGER_WIDTH: Partial<Record<LogicalType, number>> = { int16: 5, int32: 10, int64: 19 };

/**
 * Whether the target type holds every value of the source type: the same type, a wider integer
 * or float, an integer into a decimal with enough digits, or text (the lossless fallback).
 */
export function typesCompatible(source: ValidationColumn, target: ValidationColumn): boolean {
  const s = source.type;
  const t = target.type;
  if (s === t) return true;
  if (t === 'text') return true;
  const sw = INTEGER_WIDTH[s];
  const tw = INTEGER_WIDTH[t];
  if (sw !== undefined && tw !== undefined) return tw >= sw;
  if (sw !== undefined && t === 'decimal') {
    return target.precision === undefined || target.precision - (target.scale ?? 0) >= sw;
  }
  if (s === 'float32' && t === 'float64') return true;
  // Engines without a zone-aware type store UTC instants as plain timestamps.
  if (s === 'timestamptz' && t === 'timestamp') return true;
  return false;
}

function describeType(c: ValidationColumn): string {
  return `${c.engineType} (${c.type})`;
}

function precisionText(c: ValidationColumn): string {
  return `${c.precision ?? '*'},${c.scale ?? 0}`;
}

/** A decimal target too narrow for the source: fewer integer digits or fewer fraction digits. */
function precisionNarrower(source: ValidationColumn, target: ValidationColumn): boolean {
  if (source.type !== 'decimal' || target.type !== 'decimal') return false;
  if (target.precision === undefined) return false;
  if (source.precision === undefined) return true;
  const sScale = source.scale ?? 0;
  const tScale = target.scale ?? 0;
  return tScale < sScale || target.precision - tScale < source.precision - sScale;
}

export function compareSchemas(pairing: Pairing): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  for (const c of pairing.missingInTarget) {
    out.push({ column: c.name, kind: 'missing_in_target', source: describeType(c), target: null });
  }
  for (const c of pairing.extraInTarget) {
    out.push({ column: c.name, kind: 'extra_in_target', source: null, target: describeType(c) });
  }
  for (const { name, source, target } of pairing.pairs) {
    if (!typesCompatible(source, target)) {
      out.push({
        column: name,
        kind: 'type_mismatch',
        source: describeType(source),
        target: describeType(target),
      });
      continue;
    }
    if (source.nullable !== target.nullable) {
      out.push({
        column: name,
        kind: 'nullability',
        source: source.nullable ? 'NULL' : 'NOT NULL',
        target: target.nullable ? 'NULL' : 'NOT NULL',
      });
    }
    if (precisionNarrower(source, target)) {
      out.push({
        column: name,
        kind: 'precision',
        source: precisionText(source),
        target: precisionText(target),
      });
    }
  }
  return out;
}
