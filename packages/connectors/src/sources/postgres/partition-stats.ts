import type { ClientBase } from 'pg';
import type { SourceRef } from '@dxa/contracts';
import { findByName } from '../../core/names.js';

// What the partition planner reads from the catalog: the table's size and its candidate keys.

export const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);
/** Base types whose text form casts back to the same value and whose btree order is stable. */
const ORDERABLE_TYPES = new Set([
  ...INTEGER_TYPES,
  ...['numeric', 'text', 'varchar', 'bpchar', 'date', 'timestamp', 'timestamptz', 'uuid'],
]);

export type TableStats = {
  relkind: string;
  rows: number | undefined;
  bytes: number;
  pages: number;
  version: number;
};
export type KeyColumn = {
  name: string;
  baseType: string;
  indexed: boolean;
  primary: boolean;
  /** pg_stats correlation of the column with the heap order; null before ANALYZE. */
  correlation: number | null;
};
/**
 * Below this |correlation| the rows of one key range are spread over most heap pages: every slice
 * would scan most of the table, so page ranges are used instead.
 */
const MIN_KEY_CORRELATION = 0.8;

export async function tableStats(client: ClientBase, oid: number): Promise<TableStats> {
  // A partitioned table has no heap of its own: add up its leaf partitions.
  const { rows } = await client.query<{
    relkind: string;
    rows: number;
    bytes: number;
    block: number;
    version: number;
  }>(
    `SELECT c.relkind::text AS relkind,
            CASE WHEN c.relkind = 'p'
                 THEN (SELECT sum(GREATEST(p.reltuples, 0))::float8 FROM pg_catalog.pg_class p
                        WHERE p.oid IN (SELECT relid FROM pg_catalog.pg_partition_tree(c.oid) WHERE isleaf))
                 ELSE c.reltuples::float8 END AS rows,
            CASE WHEN c.relkind = 'p'
                 THEN (SELECT sum(pg_catalog.pg_relation_size(relid))::float8
                         FROM pg_catalog.pg_partition_tree(c.oid) WHERE isleaf)
                 WHEN c.relkind IN ('r', 'm') THEN pg_catalog.pg_relation_size(c.oid)::float8
                 ELSE 0 END AS bytes,
            current_setting('block_size')::int AS block,
            current_setting('server_version_num')::int AS version
       FROM pg_catalog.pg_class c WHERE c.oid = $1::oid`,
    [oid],
  );
  const row = rows[0]!;
  const bytes = Number(row.bytes ?? 0);
  const estimated = Number(row.rows ?? -1);
  return {
    relkind: row.relkind,
    // reltuples is -1 until the table was first vacuumed or analyzed.
    rows: estimated >= 0 && (estimated > 0 || bytes === 0) ? Math.round(estimated) : undefined,
    bytes,
    pages: Math.ceil(bytes / row.block),
    version: row.version,
  };
}

export async function keyColumns(client: ClientBase, oid: number): Promise<KeyColumn[]> {
  const { rows } = await client.query<KeyColumn>(
    `SELECT a.attname AS name, bt.typname::text AS "baseType",
            EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                      JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                      JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                     WHERE i.indrelid = a.attrelid AND i.indkey[0] = a.attnum AND am.amname = 'btree'
                       AND i.indpred IS NULL) AS indexed,
            EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                     WHERE i.indrelid = a.attrelid AND i.indisprimary AND i.indnkeyatts = 1
                       AND i.indkey[0] = a.attnum) AS primary,
            (SELECT s.correlation::float8 FROM pg_catalog.pg_stats s
              WHERE s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
              LIMIT 1) AS correlation
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
      WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped`,
    [oid],
  );
  return rows;
}

/** The key to split on, or why there is none. */
export function chooseKey(columns: KeyColumn[], ref: SourceRef): { key: KeyColumn } | { why: string } {
  let candidate: KeyColumn | undefined;
  if (ref.key?.length === 1) {
    const name = ref.key[0]!;
    candidate = findByName(columns, (c) => c.name, name);
    if (!candidate) return { why: `the key ${name} is not a column of the table` };
  } else {
    candidate = columns.find((c) => c.primary);
    if (!candidate) return { why: 'no single-column primary key' };
  }
  if (!candidate.indexed) return { why: `the key ${candidate.name} does not lead a btree index` };
  if (!ORDERABLE_TYPES.has(candidate.baseType))
    return { why: `the key ${candidate.name} has type ${candidate.baseType}, which is not split on` };
  const correlation = candidate.correlation;
  if (correlation !== null && Math.abs(correlation) < MIN_KEY_CORRELATION)
    return {
      why: `the rows are not stored in ${candidate.name} order (correlation ${correlation.toFixed(2)}), so each key range would scan most of the table`,
    };
  return { key: candidate };
}
