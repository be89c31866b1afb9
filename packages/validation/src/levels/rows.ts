import { CancelledError } from '@dxa/errors';
import { rowTextOf } from '../canonical/encode.js';
import type { Dialect } from '../canonical/dialect.js';
import { asText, lowerKeys } from '../columns.js';
import type { ValidationEndpoint } from '../endpoint.js';
import type { RowDifference } from '../types.js';
import { bucketCount, bucketRowsSql, bucketSummarySql, integerBucketing, type RowShape } from './rows-sql.js';

export type RowSide = { endpoint: ValidationEndpoint; dialect: Dialect; shape: RowShape };

export type RowsOutcome = {
  sourceRows: number;
  targetRows: number;
  buckets: number;
  differingBuckets: number;
  differences: RowDifference[];
  /** Canonical key values of each listed difference, for the re-select SQL. */
  differingKeys: (string | null)[][];
  truncated: boolean;
  sql: { source: string[]; target: string[] };
};

type Summary = Map<string, { n: number; s1: string; s2: string }>;

/** Rows fetched per pass-2 round trip (bounded memory: buckets are fetched a few at a time). */
const ROWS_PER_FETCH = 50_000;

async function summarize(
  side: RowSide,
  buckets: number,
  signal: AbortSignal,
  log: string[],
): Promise<Summary> {
  const sql = bucketSummarySql(side.dialect, side.shape, buckets);
  log.push(sql);
  const out: Summary = new Map();
  for (const raw of await side.endpoint.query(sql, signal)) {
    const r = lowerKeys(raw);
    out.set(asText(r.b) ?? '', { n: Number(asText(r.n)), s1: asText(r.s1) ?? '', s2: asText(r.s2) ?? '' });
  }
  return out;
}

type KeyedRows = Map<string, { key: (string | null)[]; count: number; columns: (string | null)[] }>;

async function fetchRows(
  side: RowSide,
  buckets: number,
  which: number[],
  signal: AbortSignal,
  log: string[],
) {
  const sql = bucketRowsSql(side.dialect, side.shape, buckets, which);
  log.push(sql);
  const out: KeyedRows = new Map();
  for (const raw of await side.endpoint.query(sql, signal)) {
    const r = lowerKeys(raw);
    const key = side.shape.key.map((_, i) => asText(r[`k${i}`]));
    const columns = side.shape.columns.map((_, i) => asText(r[`c${i}`]));
    const text = rowTextOf(key);
    const seen = out.get(text);
    if (seen) seen.count += 1;
    else out.set(text, { key, count: 1, columns });
  }
  return out;
}

function keyObject(names: string[], integer: boolean[], values: (string | null)[]): RowDifference['key'] {
  return Object.fromEntries(
    names.map((name, i) => {
      const v = values[i] ?? null;
      const n = v === null ? NaN : Number(v);
      return [name, integer[i] && Number.isSafeInteger(n) ? n : v];
    }),
  );
}

function compareKeyNumeric(a: (string | null)[], b: (string | null)[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return 0;
}

/** Classifies the rows of the same buckets on both sides; a duplicated key is reported only as such. */
function diffBuckets(source: KeyedRows, target: KeyedRows, columnNames: string[]) {
  const found: {
    key: (string | null)[];
    kind: RowDifference['kind'];
    columns?: string[];
    side?: 'source' | 'target';
  }[] = [];
  for (const [text, s] of source) {
    const t = target.get(text);
    if (s.count > 1 || (t && t.count > 1)) {
      if (s.count > 1) found.push({ key: s.key, kind: 'duplicate_key', side: 'source' });
      if (t && t.count > 1) found.push({ key: s.key, kind: 'duplicate_key', side: 'target' });
    } else if (!t) {
      found.push({ key: s.key, kind: 'missing_in_target' });
    } else {
      const columns = columnNames.filter((_, i) => s.columns[i] !== t.columns[i]);
      if (columns.length > 0) found.push({ key: s.key, kind: 'mismatch', columns });
    }
  }
  for (const [text, t] of target) {
    if (source.has(text)) continue;
    found.push(
      t.count > 1
        ? { key: t.key, kind: 'duplicate_key', side: 'target' }
        : { key: t.key, kind: 'extra_in_target' },
    );
  }
  return found.sort((a, b) => compareKeyNumeric(a.key, b.key));
}

export async function compareRows(
  sourceSide: RowSide,
  targetSide: RowSide,
  counts: { source: number; target: number },
  options: { maxDifferences: number; signal: AbortSignal; onRows?: (rows: number) => void },
): Promise<RowsOutcome> {
  // Both sides must bucket the same way, so the choice is made here, for the pair.
  const integerBucket = integerBucketing(sourceSide.shape.key, targetSide.shape.key);
  const source = { ...sourceSide, shape: { ...sourceSide.shape, integerBucket } };
  const target = { ...targetSide, shape: { ...targetSide.shape, integerBucket } };
  const buckets = bucketCount(Math.max(counts.source, counts.target));
  const sql = { source: [] as string[], target: [] as string[] };
  const [a, b] = await Promise.all([
    summarize(source, buckets, options.signal, sql.source),
    summarize(target, buckets, options.signal, sql.target),
  ]);
  const total = (m: Summary): number => [...m.values()].reduce((n, v) => n + v.n, 0);
  options.onRows?.(total(a));
  const differing = [...new Set([...a.keys(), ...b.keys()])]
    .filter((k) => {
      const x = a.get(k);
      const y = b.get(k);
      return !x || !y || x.n !== y.n || x.s1 !== y.s1 || x.s2 !== y.s2;
    })
    .map(Number)
    .sort((x, y) => x - y);

  const names = source.shape.columns.map((c) => c.name ?? c.expr);
  const keyNames = source.shape.key.map((k) => k.name ?? k.expr);
  const integer = source.shape.key.map((k) => ['int16', 'int32', 'int64'].includes(k.type));
  const differences: RowDifference[] = [];
  const differingKeys: (string | null)[][] = [];
  let truncated = false;
  for (let i = 0; i < differing.length && !truncated;) {
    if (options.signal.aborted) throw new CancelledError('validation cancelled');
    const batch: number[] = [];
    let rows = 0;
    while (i < differing.length && (batch.length === 0 || rows < ROWS_PER_FETCH)) {
      const k = String(differing[i]);
      rows += Math.max(a.get(k)?.n ?? 0, b.get(k)?.n ?? 0);
      batch.push(differing[i] ?? 0);
      i += 1;
    }
    const [s, t] = await Promise.all([
      fetchRows(source, buckets, batch, options.signal, sql.source),
      fetchRows(target, buckets, batch, options.signal, sql.target),
    ]);
    for (const d of diffBuckets(s, t, names)) {
      if (differences.length >= options.maxDifferences) {
        truncated = true;
        break;
      }
      differences.push({
        key: keyObject(keyNames, integer, d.key),
        kind: d.kind,
        ...(d.columns ? { columns: d.columns } : {}),
        ...(d.side ? { side: d.side } : {}),
      });
      differingKeys.push(d.key);
    }
  }
  return {
    sourceRows: total(a),
    targetRows: total(b),
    buckets,
    differingBuckets: differing.length,
    differences,
    differingKeys,
    truncated,
    sql,
  };
}
