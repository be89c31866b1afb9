import type { LogicalType } from '@dxa/contracts';
import type { Dialect, TemporalParts } from './dialect.js';

/** How one column is encoded on one side (see docs/validation.md, "Canonical encoding"). */
export type EncodedColumn = {
  /** Column name for reports (defaults to `expr`). */
  name?: string;
  /** SQL expression reading the column (usually its quoted name). */
  expr: string;
  type: LogicalType;
  /** CHAR(n) on either side: trailing spaces are padding, not data. */
  trimPadding?: boolean;
};

/** The marker a NULL value contributes to a row text; a value always starts with its length. */
export const NULL_MARKER = 'N';

/** Canonical text of one value, or SQL NULL. */
export function canonicalValue(d: Dialect, col: EncodedColumn): string {
  const x = col.expr;
  switch (col.type) {
    case 'boolean':
      return d.boolean(x);
    case 'int16':
    case 'int32':
    case 'int64':
      return d.text(x);
    case 'decimal':
      return normalizeDecimalText(d, d.text(x));
    case 'float32':
    case 'float64':
      return canonicalFloat(d, d.toDouble(x));
    case 'date':
      return withInfinity(d, x, dateText(d, d.dateParts(x)));
    case 'time':
      return timeText(d, d.timeParts(x));
    case 'timestamp':
      return withInfinity(d, x, timestampText(d, d.timestampParts(x)));
    case 'timestamptz':
      return withInfinity(d, x, timestampText(d, d.timestampParts(d.toUtc(x))));
    case 'binary':
      return d.hex(x);
    case 'uuid':
      return `LOWER(${d.text(x)})`;
    case 'interval':
      return canonicalInterval(d, x);
    case 'json':
    case 'text':
      return col.trimPadding ? d.rtrimChar(d.text(x), ' ') : d.text(x);
  }
}

/**
 * `1.50` → `1.5`, `2.000` → `2`, `-0.0` → `0`: the value, not its scale. Works on the plain
 * (non-scientific) text every engine gives for exact numerics.
 */
export function normalizeDecimalText(d: Dialect, t: string): string {
  const trimmed = `CASE WHEN ${t} LIKE '%.%' THEN ${d.rtrimChar(d.rtrimChar(t, '0'), '.')} ELSE ${t} END`;
  return `CASE WHEN ${trimmed} = '-0' THEN '0' ELSE ${trimmed} END`;
}

/**
 * Bit-exact float text: `<sign><m>p<e>` with m the 53-bit integer significand and e the binary
 * exponent, computed with arithmetic every engine does exactly (division by powers of two).
 * The exponent estimate from LN may be off by one, so it is corrected against POWER(2, e0).
 */
export function canonicalFloat(d: Dialect, x: string): string {
  const a = `ABS(${x})`;
  const e0 = d.least(d.greatest(d.floor(`${d.ln(a)} / ${d.ln(d.toDouble('2'))}`), '-1074'), '1023');
  // a / 2^e0 is exact and near 1, so neither side of the correction can overflow or underflow.
  const ratio = `${a} / ${d.pow2(e0)}`;
  const e = `(${e0} + CASE WHEN ${ratio} >= 2 THEN 1 WHEN ${ratio} < 1 THEN -1 ELSE 0 END)`;
  const significand = d.toBigint(`${a} / ${d.pow2(e)} * ${d.pow2('52')}`);
  const finite = d.concat([
    `CASE WHEN ${x} < 0 THEN '-' ELSE '' END`,
    d.text(significand),
    "'p'",
    d.text(d.toBigint(e)),
  ]);
  const specials = d.floatSpecials?.(x);
  const special = specials
    ? `WHEN ${specials.nan} THEN 'NaN' WHEN ${specials.posInf} THEN 'Infinity' WHEN ${specials.negInf} THEN '-Infinity' `
    : '';
  return `CASE WHEN ${x} IS NULL THEN NULL ${special}WHEN ${x} = 0 THEN '0' ELSE ${finite} END`;
}

function need(part: string | undefined, what: string): string {
  if (part === undefined) throw new Error(`dialect gives no ${what}`);
  return part;
}

function dateText(d: Dialect, p: TemporalParts): string {
  return d.concat([
    d.text(need(p.year, 'year')),
    "'-'",
    d.pad(need(p.month, 'month'), 2),
    "'-'",
    d.pad(need(p.day, 'day'), 2),
  ]);
}

function timeText(d: Dialect, p: TemporalParts): string {
  const micros = need(p.microOfMinute, 'microseconds');
  return d.concat([
    d.pad(need(p.hour, 'hour'), 2),
    "':'",
    d.pad(need(p.minute, 'minute'), 2),
    "':'",
    d.pad(d.intDiv(micros, '1000000'), 2),
    "'.'",
    d.pad(d.mod(micros, '1000000'), 6),
  ]);
}

function timestampText(d: Dialect, p: TemporalParts): string {
  return d.concat([dateText(d, p), "' '", timeText(d, p)]);
}

function withInfinity(d: Dialect, x: string, finite: string): string {
  const inf = d.temporalInfinity?.(x);
  if (!inf) return finite;
  return `CASE WHEN ${x} IS NULL THEN NULL WHEN ${inf.pos} THEN 'infinity' WHEN ${inf.neg} THEN '-infinity' ELSE ${finite} END`;
}

function canonicalInterval(d: Dialect, x: string): string {
  const parts = d.intervalParts?.(x);
  if (!parts) return d.text(x);
  return d.concat([d.text(parts.months), "'mon '", d.text(parts.days), "'d '", d.text(parts.micros), "'us'"]);
}

/** `<octet length>:<value>`, or the NULL marker: no two value lists concatenate to the same text. */
export function lengthPrefixed(d: Dialect, canonical: string): string {
  return `COALESCE(${d.concat([d.text(d.octetLength(canonical)), "':'", canonical])}, '${NULL_MARKER}')`;
}

/** Canonical text of a list of columns: the concatenation of their length-prefixed values. */
export function rowText(d: Dialect, cols: readonly EncodedColumn[]): string {
  if (cols.length === 0) return "''";
  return d.concat(cols.map((c) => lengthPrefixed(d, canonicalValue(d, c))));
}

/** JS twin of `lengthPrefixed` + `rowText` for canonical values already fetched (keys in reports). */
export function rowTextOf(values: readonly (string | null)[]): string {
  return values.map((v) => (v === null ? NULL_MARKER : `${Buffer.byteLength(v, 'utf8')}:${v}`)).join('');
}
