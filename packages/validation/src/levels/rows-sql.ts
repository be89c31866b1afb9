import { canonicalValue, lengthPrefixed, rowText, type EncodedColumn } from '../canonical/encode.js';
import type { Dialect } from '../canonical/dialect.js';

/**
 * Columns of one side as the rows level reads them: the key, then every paired column.
 * `integerBucket`: the key is one integer column on both sides, so rows are bucketed by
 * arithmetic on the key instead of an MD5 of its text (the same choice on both sides).
 */
export type RowShape = {
  from: string;
  key: EncodedColumn[];
  columns: EncodedColumn[];
  integerBucket?: boolean;
};

const INTEGER_TYPES: readonly string[] = ['int16', 'int32', 'int64'];

/** True when both sides' key is one integer column: the cheap bucketing then applies to both. */
export function integerBucketing(
  source: readonly EncodedColumn[],
  target: readonly EncodedColumn[],
): boolean {
  return [source, target].every((key) => key.length === 1 && INTEGER_TYPES.includes(key[0]?.type ?? ''));
}

/** About this many rows per bucket, so a differing bucket is cheap to fetch and diff in memory. */
export const ROWS_PER_BUCKET = 10_000;

export function bucketCount(rows: number): number {
  return Math.max(1, Math.ceil(rows / ROWS_PER_BUCKET));
}

// Multiplicative mix modulo the prime 2^31 - 1: |key mod P| × M < 2^62 never overflows a BIGINT,
// and keys in arithmetic progression (multiples of B, say) still spread over all buckets.
const MIX_PRIME = '2147483647';
const MIX_FACTOR = '1103515245';

/** `kh` of a row: the integer key (NULL as 0), or the MD5 of the key text. */
function keyHashExpr(d: Dialect, shape: RowShape): string {
  const k = shape.key[0];
  if (shape.integerBucket && k) return `COALESCE(${d.toBigint(k.expr)}, 0)`;
  return d.md5(rowText(d, shape.key));
}

function bucketOf(d: Dialect, shape: RowShape, keyHash: string, buckets: number): string {
  if (shape.integerBucket) {
    const mixed = d.mod(`${d.mod(keyHash, MIX_PRIME)} * ${MIX_FACTOR}`, MIX_PRIME);
    return d.mod(mixed, String(buckets));
  }
  return d.mod(d.hex60(keyHash, 1), String(buckets));
}

/**
 * Pass 1: per bucket, the row count and two sums of 60-bit slices of each row's MD5. Equal
 * buckets hold the same multiset of rows (up to a 120-bit sum collision).
 */
export function bucketSummarySql(d: Dialect, shape: RowShape, buckets: number): string {
  const hashed = `SELECT ${d.md5(rowText(d, shape.columns))} AS rh, ${keyHashExpr(d, shape)} AS kh FROM ${shape.from}`;
  const sliced = `SELECT ${bucketOf(d, shape, 'kh', buckets)} AS b, ${d.hex60('rh', 1)} AS h1, ${d.hex60('rh', 16)} AS h2 FROM (${hashed}) dxa_h`;
  return `SELECT ${d.text('b')} AS b, ${d.text('COUNT(*)')} AS n, ${d.sumText('h1')} AS s1, ${d.sumText('h2')} AS s2 FROM (${sliced}) dxa_s GROUP BY b`;
}

/** Pass 2: the canonical key values and one MD5 per column of the rows in the given buckets. */
export function bucketRowsSql(
  d: Dialect,
  shape: RowShape,
  buckets: number,
  which: readonly number[],
): string {
  const keys = shape.key.map((k, i) => `${canonicalValue(d, k)} AS k${i}`);
  const cols = shape.columns.map((c, i) => `${d.md5(lengthPrefixed(d, canonicalValue(d, c)))} AS c${i}`);
  const inner = `SELECT ${[...keys, ...cols, `${keyHashExpr(d, shape)} AS kh`].join(', ')} FROM ${shape.from}`;
  const outer = [...shape.key.map((_, i) => `k${i}`), ...shape.columns.map((_, i) => `c${i}`)].join(', ');
  return `SELECT ${outer} FROM (${inner}) dxa_r WHERE ${bucketOf(d, shape, 'kh', buckets)} IN (${which.join(', ')})`;
}

/** Re-selects rows by canonical key values (correct for every key type, whatever its literal syntax). */
export function reselectSql(
  d: Dialect,
  from: string,
  key: EncodedColumn[],
  keys: (string | null)[][],
): string {
  if (keys.length === 0) return `SELECT * FROM ${from} WHERE 1 = 0`;
  const match = (values: (string | null)[]): string =>
    key
      .map((k, i) => {
        const v = values[i] ?? null;
        return v === null ? `${k.expr} IS NULL` : `${canonicalValue(d, k)} = ${d.literal(v)}`;
      })
      .join(' AND ');
  const integerKey = key.length === 1 && ['int16', 'int32', 'int64'].includes(key[0]?.type ?? '');
  if (integerKey && keys.every((v) => v[0] !== null && /^-?\d+$/.test(v[0] ?? ''))) {
    return `SELECT * FROM ${from} WHERE ${key[0]?.expr} IN (${keys.map((v) => v[0]).join(', ')})`;
  }
  return `SELECT * FROM ${from} WHERE ${keys.map((v) => `(${match(v)})`).join('\n   OR ')}`;
}
