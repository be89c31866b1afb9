import type { ClientBase } from 'pg';
import type { PartitionBounds, PartitionPlan, SourceRef } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { whereClause } from '@dxa/validation';
import type { PartitionRequest } from '../../core/types.js';
import { quoteIdent, resolveTable, type ResolvedTable } from './catalog.js';
import {
  chooseKey,
  INTEGER_TYPES,
  keyColumns,
  tableStats,
  type KeyColumn,
  type TableStats,
} from './partition-stats.js';

const MAX_AUTO_PARTITIONS = 256;
const MAX_PARTITIONS = 1024;
/** A sample of about this many rows places the key boundaries well enough. */
const SAMPLE_ROWS = 75_000;
/** Planning renders key values as text; fix the settings that change that text. */
const TEXT_SETTINGS =
  "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO'; SET LOCAL extra_float_digits = 3";

function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** The source's filter, rendered as its extract renders it. */
function whereSql(ref: SourceRef): string {
  return whereClause([ref.where]);
}

/** Evenly spaced integer boundaries between min and max, when a sample found nothing. */
async function integerBoundaries(
  client: ClientBase,
  table: ResolvedTable,
  column: string,
  ref: SourceRef,
  count: number,
): Promise<string[]> {
  const col = quoteIdent(column);
  const { rows } = await client.query<{ lo: string | null; hi: string | null }>(
    `SELECT min(${col})::text AS lo, max(${col})::text AS hi FROM ${table.quoted}${whereSql(ref)}`,
  );
  const { lo, hi } = rows[0] ?? { lo: null, hi: null };
  if (lo === null || hi === null) return [];
  const [low, span] = [BigInt(lo), BigInt(hi) - BigInt(lo) + 1n];
  return Array.from({ length: count - 1 }, (_, i) =>
    (low + (span * BigInt(i + 1)) / BigInt(count)).toString(),
  );
}

/** Key values splitting the selection into `count` ranges of about equal rows (may be fewer, deduplicated). */
async function keyBoundaries(
  client: ClientBase,
  table: ResolvedTable,
  key: KeyColumn,
  ref: SourceRef,
  stats: TableStats,
  count: number,
): Promise<string[]> {
  const fractions = Array.from({ length: count - 1 }, (_, i) => (i + 1) / count);
  const percent =
    stats.rows === undefined ? 100 : Math.min(100, (100 * SAMPLE_ROWS) / Math.max(stats.rows, 1));
  const sample = percent < 100 ? ` TABLESAMPLE SYSTEM (${percent.toFixed(6)})` : '';
  await client.query(TEXT_SETTINGS);
  const { rows } = await client.query<{ q: (string | null)[] | null }>(
    `SELECT (percentile_disc($1::float8[]) WITHIN GROUP (ORDER BY ${quoteIdent(key.name)}))::text[] AS q
       FROM ${table.quoted}${sample}${whereSql(ref)}`,
    [fractions],
  );
  let values = (rows[0]?.q ?? []).filter((v): v is string => v !== null);
  if (values.length === 0 && INTEGER_TYPES.has(key.baseType))
    values = await integerBoundaries(client, table, key.name, ref, count);
  // percentile_disc is monotonic, so duplicates are adjacent.
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

function keyBounds(column: string, boundaries: string[]): PartitionBounds[] {
  const edges = [null, ...boundaries, null];
  return edges
    .slice(0, -1)
    .map((from, i) => ({ kind: 'key', column, from, to: edges[i + 1]!, nulls: i === 0 }));
}

function pageBounds(pages: number, count: number): PartitionBounds[] {
  const step = Math.ceil(pages / count);
  const slices = Math.ceil(pages / step);
  return Array.from({ length: slices }, (_, i) => ({
    kind: 'pages',
    from: i * step,
    to: i === slices - 1 ? null : (i + 1) * step,
  }));
}

function estimates(stats: TableStats): Pick<PartitionPlan, 'estimatedRows' | 'estimatedBytes'> {
  return { ...(stats.rows === undefined ? {} : { estimatedRows: stats.rows }), estimatedBytes: stats.bytes };
}

export function singlePlan(reason: string, extra: Partial<PartitionPlan> = {}): PartitionPlan {
  return { method: 'single', reason, bounds: [{ kind: 'all' }], ...extra };
}

function partitionCount(request: PartitionRequest, bytes: number): number {
  if (request.requested !== 'auto')
    return Math.min(MAX_PARTITIONS, Math.max(1, Math.floor(request.requested)));
  const wanted = Math.ceil(bytes / Math.max(1, request.targetBytes));
  return Math.min(MAX_AUTO_PARTITIONS, Math.max(1, wanted));
}

/** Plans the slices of a table source (run inside a read-only transaction). */
export async function planTablePartitions(
  client: ClientBase,
  ref: SourceRef & { table: string },
  request: PartitionRequest,
): Promise<PartitionPlan> {
  const table = await resolveTable(client, ref.table);
  const stats = await tableStats(client, table.oid);
  const known = estimates(stats);
  const count = partitionCount(request, stats.bytes);
  const size = formatSize(stats.bytes);
  if (count === 1) {
    const why =
      request.requested === 'auto'
        ? `the table (~${size}) fits in one partition of ${formatSize(request.targetBytes)}`
        : 'one partition was asked for';
    return singlePlan(`read in one piece: ${why}`, known);
  }
  const asked = request.requested === 'auto' ? `${count} wanted for ~${size}` : `${count} asked for`;
  const pagesPossible =
    (stats.relkind === 'r' || stats.relkind === 'm') && stats.version >= 140000 && stats.pages > 1;
  // Page ranges are TID range scans: sequential heap reads, no index, exact under the shared
  // snapshot, and cheaper for the server than key ranges (measured in docs/scaling.md). A key is
  // split on when the job names one, or when pages cannot be used (partitioned tables, PG < 14).
  if (pagesPossible && ref.key?.length !== 1)
    return pagePlan(
      stats,
      count,
      asked,
      'page ranges read the heap in order; name source.key to split on a key',
    );
  const choice = ['r', 'm', 'p'].includes(stats.relkind)
    ? chooseKey(await keyColumns(client, table.oid), ref)
    : { why: 'it is not a plain table' };
  if ('key' in choice) {
    const boundaries = await keyBoundaries(client, table, choice.key, ref, stats, count);
    if (boundaries.length === 0)
      return singlePlan(
        `read in one piece: the key ${choice.key.name} has too few distinct values to split`,
        known,
      );
    const bounds = keyBounds(choice.key.name, boundaries);
    const fewer = bounds.length < count ? ` (${asked}; the key has fewer distinct boundaries)` : '';
    return {
      method: 'key',
      key: choice.key.name,
      reason: `${bounds.length} key ranges on ${choice.key.name} from sampled quantiles, ~${formatSize(stats.bytes / bounds.length)} each${fewer}`,
      bounds,
      ...known,
    };
  }
  if (pagesPossible) return pagePlan(stats, count, asked, `no usable key: ${choice.why}`);
  const why =
    stats.relkind === 'r' || stats.relkind === 'm'
      ? stats.version < 140000
        ? 'the server is older than PostgreSQL 14 (no TID range scans)'
        : 'the table is too small to split by pages'
      : `it is not a plain table (${stats.relkind === 'v' ? 'a view' : stats.relkind === 'f' ? 'a foreign table' : 'relkind ' + stats.relkind})`;
  return singlePlan(`read in one piece: no usable key (${choice.why}) and ${why}`, known);
}

function pagePlan(stats: TableStats, count: number, asked: string, why: string): PartitionPlan {
  const bounds = pageBounds(stats.pages, count);
  const fewer = bounds.length < count ? ` (${asked}; the table has only ${stats.pages} pages)` : '';
  return {
    method: 'pages',
    reason: `${bounds.length} page ranges of ~${formatSize(stats.bytes / bounds.length)} each${fewer} (${why})`,
    bounds,
    ...estimates(stats),
  };
}

function pageNumber(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff)
    throw new TerminalError('INVALID_JOB', `page bound ${value} is not a page number`, { step: 'extract' });
  return String(value);
}

/**
 * The WHERE condition selecting one slice of `table`, or undefined for the whole table. COPY takes
 * no parameters, so key bounds become escaped literals cast to the column's own type.
 */
export async function slicePredicate(
  client: ClientBase,
  table: ResolvedTable,
  bounds: PartitionBounds,
): Promise<string | undefined> {
  switch (bounds.kind) {
    case 'all':
      return undefined;
    case 'pages': {
      const from = `ctid >= '(${pageNumber(bounds.from)},0)'::tid`;
      return bounds.to === null ? from : `${from} AND ctid < '(${pageNumber(bounds.to)},0)'::tid`;
    }
    case 'key': {
      const { rows } = await client.query<{ type: string }>(
        `SELECT pg_catalog.format_type(atttypid, atttypmod) AS type FROM pg_catalog.pg_attribute
          WHERE attrelid = $1::oid AND attname = $2 AND attnum > 0 AND NOT attisdropped`,
        [table.oid, bounds.column],
      );
      const type = rows[0]?.type;
      if (type === undefined) {
        throw new TerminalError(
          'SOURCE_NOT_FOUND',
          `the partition key ${bounds.column} is not a column of the table`,
          {
            step: 'extract',
          },
        );
      }
      const col = quoteIdent(bounds.column);
      const literal = (value: string) => `${client.escapeLiteral(value)}::${type}`;
      const range = [
        ...(bounds.from === null ? [] : [`${col} >= ${literal(bounds.from)}`]),
        ...(bounds.to === null ? [] : [`${col} < ${literal(bounds.to)}`]),
      ];
      const inRange = range.length > 0 ? range.join(' AND ') : `${col} IS NOT NULL`;
      return bounds.nulls ? `(${inRange} OR ${col} IS NULL)` : inRange;
    }
  }
}
