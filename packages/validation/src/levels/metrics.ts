import type { LogicalType } from '@dxa/contracts';
import { canonicalValue, normalizeDecimalText, type EncodedColumn } from '../canonical/encode.js';
import type { Dialect } from '../canonical/dialect.js';
import { asText, encodedColumn, lowerKeys, type ColumnPair } from '../columns.js';
import type { FloatTolerance } from '../types.js';

export type MetricName = 'count' | 'null_count' | 'distinct_count' | 'min' | 'max' | 'sum' | 'avg';
export type MetricDifference = {
  column: string;
  metric: MetricName;
  source: string | null;
  target: string | null;
};

/** Float sums and averages depend on summation order; they are compared within this by default. */
export const DEFAULT_FLOAT_TOLERANCE: FloatTolerance = { relative: 1e-12 };

const EXACT_NUMERIC: readonly LogicalType[] = ['int16', 'int32', 'int64', 'decimal'];
const FLOAT: readonly LogicalType[] = ['float32', 'float64'];
const TEMPORAL: readonly LogicalType[] = ['date', 'time', 'timestamp', 'timestamptz'];

/**
 * Metrics computed in SQL for a type. `avg` is derived from sum and count in JS: engines compute
 * AVG in different precisions (and PostgreSQL's float AVG overflows on squares of large values).
 */
export function metricsFor(type: LogicalType): MetricName[] {
  const base: MetricName[] = ['count', 'null_count', 'distinct_count'];
  if (EXACT_NUMERIC.includes(type)) return [...base, 'min', 'max', 'sum'];
  if (FLOAT.includes(type)) return [...base, 'min', 'max', 'sum'];
  if (TEMPORAL.includes(type)) return [...base, 'min', 'max'];
  return base;
}

function metricSql(d: Dialect, col: EncodedColumn, metric: MetricName): string {
  const x = col.expr;
  const over = (agg: string): EncodedColumn => ({ ...col, expr: agg });
  switch (metric) {
    case 'count':
      return d.text(`COUNT(${x})`);
    case 'null_count':
      return d.text(`COUNT(*) - COUNT(${x})`);
    case 'distinct_count':
      return d.text(`COUNT(DISTINCT ${canonicalValue(d, col)})`);
    case 'min':
      return canonicalValue(d, over(`MIN(${x})`));
    case 'max':
      return canonicalValue(d, over(`MAX(${x})`));
    case 'sum':
      return FLOAT.includes(col.type) ? d.floatSumText(x) : normalizeDecimalText(d, d.text(`SUM(${x})`));
    case 'avg':
      throw new Error('avg is derived from sum and count');
  }
}

/**
 * The metrics statements of a side, each returning one row whose columns together are every
 * metric of every paired column: one statement, or with `distinctCountsApart` one more per column.
 */
export function metricsSql(
  d: Dialect,
  from: string,
  pairs: ColumnPair[],
  side: 'source' | 'target',
): string[] {
  const apart = d.distinctCountsApart === true;
  const columns = pairs.map((pair) => encodedColumn(d, pair, side));
  const items = pairs.flatMap((pair, i) =>
    metricsFor(pair.source.type)
      .filter((m) => !(apart && m === 'distinct_count'))
      .map((m) => `${metricSql(d, columns[i]!, m)} AS m${i}_${m}`),
  );
  const main = `SELECT ${[d.text('COUNT(*)') + ' AS n', ...items].join(', ')} FROM ${from}`;
  if (!apart) return [main];
  const distinct = columns.map(
    (col, i) => `SELECT ${metricSql(d, col, 'distinct_count')} AS m${i}_distinct_count FROM ${from}`,
  );
  return [main, ...distinct];
}

/** Parses engine float text: `NaN`, `nan`, `Infinity`, `inf`, `-inf`, or a number. */
export function parseFloatText(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'nan' || t === '-nan') return Number.NaN;
  if (t === 'inf' || t === 'infinity' || t === '+inf') return Number.POSITIVE_INFINITY;
  if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY;
  return Number(t);
}

/** |a − b| ≤ max(absolute, relative × max(|a|, |b|)); NaN equals NaN, infinities by sign. */
export function withinTolerance(a: number, b: number, tolerance: FloatTolerance): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  const allowed = Math.max(
    tolerance.absolute ?? 0,
    (tolerance.relative ?? 0) * Math.max(Math.abs(a), Math.abs(b)),
  );
  return Math.abs(a - b) <= allowed;
}

function derivedAvg(sum: string | null, count: string | null): string | null {
  if (sum === null || count === null || Number(count) === 0) return null;
  return String(parseFloatText(sum) / Number(count));
}

/** Compares the two metrics rows; tolerance applies to float sums and averages only. */
export function compareMetrics(
  pairs: ColumnPair[],
  sourceRow: Record<string, unknown>,
  targetRow: Record<string, unknown>,
  tolerance: FloatTolerance,
): MetricDifference[] {
  const s = lowerKeys(sourceRow);
  const t = lowerKeys(targetRow);
  const out: MetricDifference[] = [];
  pairs.forEach((pair, i) => {
    const type = pair.source.type;
    for (const metric of metricsFor(type)) {
      const a = asText(s[`m${i}_${metric}`]);
      const b = asText(t[`m${i}_${metric}`]);
      const tolerant = FLOAT.includes(type) && metric === 'sum';
      const same =
        tolerant && a !== null && b !== null
          ? withinTolerance(parseFloatText(a), parseFloatText(b), tolerance)
          : a === b;
      if (!same) out.push({ column: pair.name, metric, source: a, target: b });
    }
    if (EXACT_NUMERIC.includes(type) || FLOAT.includes(type)) {
      // sum / count: identical when exact sums are, within tolerance when float sums are.
      const a = derivedAvg(asText(s[`m${i}_sum`]), asText(s[`m${i}_count`]));
      const b = derivedAvg(asText(t[`m${i}_sum`]), asText(t[`m${i}_count`]));
      const same =
        FLOAT.includes(type) && a !== null && b !== null
          ? withinTolerance(Number(a), Number(b), tolerance)
          : a === b;
      if (!same) out.push({ column: pair.name, metric: 'avg', source: a, target: b });
    }
  });
  return out;
}
