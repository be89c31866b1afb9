import type { ValidationResult } from '@dxa/contracts';
import { CancelledError } from '@dxa/errors';
import { encodedColumn, pairColumns, asText, lowerKeys, type Pairing } from './columns.js';
import { compareMetrics, DEFAULT_FLOAT_TOLERANCE, metricsSql } from './levels/metrics.js';
import { compareRows, type RowSide } from './levels/rows.js';
import { reselectSql } from './levels/rows-sql.js';
import { compareSchemas } from './levels/schema.js';
import type { ValidationEndpoint, ValidationSide } from './endpoint.js';
import type { Relation, ValidationOptions } from './types.js';

/** One side as reports name it: the endpoint's label and its dialect's name. */
export type SideInfo = { label: string; dialect: string; relation: Relation };
type LevelName = 'count' | 'schema' | 'metrics' | 'rows';

/** Everything one run found: the contract's result plus what the report files need. */
export type ValidationReport = {
  result: ValidationResult;
  source: SideInfo;
  target: SideInfo;
  /** Key columns the rows level used (absent when it did not run). */
  key?: string[];
  /** Facts worth knowing that are not differences, e.g. columns matched case-insensitively. */
  notes: string[];
  /** Rows level: buckets compared and how many differed. */
  buckets?: { total: number; differing: number };
  /** SELECT statements re-reading the listed differing rows on each side. */
  reselect?: { source: string; target: string };
  /** Every statement validation ran, per side, in order. */
  sql: { source: string[]; target: string[] };
  timingsMs: Partial<Record<LevelName | 'describe' | 'total', number>>;
  startedAt: string;
  finishedAt: string;
};

export const DEFAULT_MAX_DIFFERENCES = 1000;

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError('validation cancelled');
}

async function timed<T>(
  timings: ValidationReport['timingsMs'],
  name: LevelName | 'describe',
  run: () => Promise<T>,
) {
  const started = Date.now();
  try {
    return await run();
  } finally {
    timings[name] = Date.now() - started;
  }
}

async function countRows(side: ValidationSide, signal: AbortSignal, log: string[]): Promise<number> {
  const d = side.endpoint.dialect;
  const sql = `SELECT ${d.text('COUNT(*)')} AS n FROM ${d.from(side.relation)}`;
  log.push(sql);
  const [row] = await side.endpoint.query(sql, signal);
  return Number(asText(lowerKeys(row ?? {}).n));
}

/** Runs a side's metrics statements one after the other and merges their single rows. */
async function metricsRow(
  endpoint: ValidationEndpoint,
  statements: string[],
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const row: Record<string, unknown> = {};
  for (const statement of statements) {
    throwIfAborted(signal);
    const [part] = await endpoint.query(statement, signal);
    Object.assign(row, part ?? {});
  }
  return row;
}

async function resolveKey(source: ValidationSide, options: ValidationOptions): Promise<string[] | undefined> {
  if (options.key && options.key.length > 0) return [...options.key];
  const pk = await source.endpoint.primaryKey?.(source.relation, options.signal);
  return pk && pk.length > 0 ? pk : undefined;
}

/** The side with its relation named as its engine's catalog spells it (see ValidationEndpoint.resolve). */
async function resolved(side: ValidationSide, signal: AbortSignal): Promise<ValidationSide> {
  return { ...side, relation: await side.endpoint.resolve(side.relation, signal) };
}

export async function runValidation(
  sourceSide: ValidationSide,
  targetSide: ValidationSide,
  options: ValidationOptions,
): Promise<ValidationReport> {
  const started = Date.now();
  const signal = options.signal;
  const [source, target] = await Promise.all([resolved(sourceSide, signal), resolved(targetSide, signal)]);
  const levels = new Set(options.levels);
  const timingsMs: ValidationReport['timingsMs'] = {};
  const sql = { source: [] as string[], target: [] as string[] };
  const notes: string[] = [];
  const result: ValidationResult = { status: 'passed' };
  const report: Omit<ValidationReport, 'finishedAt'> = {
    result,
    source: { label: source.endpoint.label, dialect: source.endpoint.dialect.name, relation: source.relation },
    target: { label: target.endpoint.label, dialect: target.endpoint.dialect.name, relation: target.relation },
    notes,
    sql,
    timingsMs,
    startedAt: new Date(started).toISOString(),
  };
  const sd = source.endpoint.dialect;
  const td = target.endpoint.dialect;

  let pairing: Pairing | undefined;
  if (levels.has('schema') || levels.has('metrics') || levels.has('rows')) {
    const [sc, tc] = await timed(timingsMs, 'describe', () =>
      Promise.all([
        source.endpoint.describe(source.relation, signal),
        target.endpoint.describe(target.relation, signal),
      ]),
    );
    pairing = pairColumns(sc, tc);
    for (const p of pairing.caseOnly)
      notes.push(`column ${p.source.name} matched target column ${p.target.name} by name ignoring case`);
  }

  let counts: { source: number; target: number } | undefined;
  if (levels.has('count') || levels.has('rows')) {
    counts = await timed(timingsMs, 'count', async () => {
      const known = options.knownCounts ?? {};
      const [s, t] = await Promise.all([
        known.source ?? countRows(source, signal, sql.source),
        known.target ?? countRows(target, signal, sql.target),
      ]);
      return { source: s, target: t };
    });
    if (levels.has('count')) {
      result.count = {
        status: counts.source === counts.target ? 'passed' : 'failed',
        source_rows: counts.source,
        target_rows: counts.target,
      };
    }
  }

  if (levels.has('schema') && pairing) {
    options.onProgress?.({ phase: 'schema' });
    const differences = compareSchemas(pairing);
    result.schema = { status: differences.length === 0 ? 'passed' : 'failed', differences };
  }

  if (levels.has('metrics') && pairing) {
    throwIfAborted(signal);
    options.onProgress?.({ phase: 'metrics' });
    const pairs = pairing.pairs;
    const differences = await timed(timingsMs, 'metrics', async () => {
      const ss = metricsSql(sd, sd.from(source.relation), pairs, 'source');
      const ts = metricsSql(td, td.from(target.relation), pairs, 'target');
      sql.source.push(...ss);
      sql.target.push(...ts);
      const [sr, tr] = await Promise.all([
        metricsRow(source.endpoint, ss, signal),
        metricsRow(target.endpoint, ts, signal),
      ]);
      return compareMetrics(pairs, sr, tr, options.tolerance ?? DEFAULT_FLOAT_TOLERANCE);
    });
    result.metrics = { status: differences.length === 0 ? 'passed' : 'failed', differences };
  }

  if (levels.has('rows') && pairing && counts) {
    throwIfAborted(signal);
    options.onProgress?.({ phase: 'rows', rows: 0 });
    const key = await resolveKey(source, options);
    const skip = (reason: string): void => {
      result.rows = {
        status: 'skipped',
        reason,
        differences: [],
        source_rows: counts.source,
        target_rows: counts.target,
        truncated: false,
      };
    };
    const keyPairs = key?.map((k) => pairing.pairs.find((p) => p.name.toLowerCase() === k.toLowerCase()));
    if (!key) {
      skip('no key: set validation.key or validate a table with a primary key');
    } else if (!keyPairs || keyPairs.some((p) => p === undefined)) {
      skip(`key column(s) ${key.join(', ')} not present on both sides`);
    } else {
      const pairs = pairing.pairs;
      const kp = keyPairs.filter((p) => p !== undefined);
      const side = (s: ValidationSide, which: 'source' | 'target'): RowSide => {
        const d = which === 'source' ? sd : td;
        return {
          endpoint: s.endpoint,
          dialect: d,
          shape: {
            from: d.from(s.relation),
            key: kp.map((p) => encodedColumn(d, p, which)),
            columns: pairs.map((p) => encodedColumn(d, p, which)),
          },
        };
      };
      const src = side(source, 'source');
      const tgt = side(target, 'target');
      const outcome = await timed(timingsMs, 'rows', () =>
        compareRows(src, tgt, counts, {
          maxDifferences: options.maxDifferences ?? DEFAULT_MAX_DIFFERENCES,
          signal,
          onRows: (rows) => options.onProgress?.({ phase: 'rows', rows }),
        }),
      );
      sql.source.push(...outcome.sql.source);
      sql.target.push(...outcome.sql.target);
      report.key = kp.map((p) => p.name);
      report.buckets = { total: outcome.buckets, differing: outcome.differingBuckets };
      report.reselect = {
        source: reselectSql(sd, src.shape.from, src.shape.key, outcome.differingKeys),
        target: reselectSql(td, tgt.shape.from, tgt.shape.key, outcome.differingKeys),
      };
      const failed = outcome.differences.length > 0 || outcome.differingBuckets > 0;
      result.rows = {
        status: failed ? 'failed' : 'passed',
        differences: outcome.differences,
        source_rows: outcome.sourceRows,
        target_rows: outcome.targetRows,
        truncated: outcome.truncated,
      };
    }
  }

  const levelsRun = [result.count, result.schema, result.metrics, result.rows];
  result.status = levelsRun.some((l) => l?.status === 'failed') ? 'failed' : 'passed';
  timingsMs.total = Date.now() - started;
  return { ...report, finishedAt: new Date().toISOString() };
}
