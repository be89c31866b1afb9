import { createHash } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';

/**
 * Order-independent table checksums for tests: every row is rendered canonically per column kind,
 * hashed with MD5, and the first 64 bits of each hash are summed (mod 2^64), so row order does not
 * matter but duplicates and every cell do. Both engines render values as text in SQL; the
 * differences between their text forms are normalised here.
 */
export type ColumnKind =
  'int' | 'numeric' | 'float' | 'bool' | 'text' | 'timestamp' | 'date' | 'uuid' | 'json' | 'bytes' | 'other';
export type TableChecksum = { rows: number; sum: bigint };
type Col = { name: string; kind: ColumnKind };

const MOD = 1n << 64n;

function kindOf(pgType: string): ColumnKind {
  if (/^(smallint|integer|bigint)$/.test(pgType)) return 'int';
  if (pgType.startsWith('numeric')) return 'numeric';
  if (/^(real|double precision)$/.test(pgType)) return 'float';
  if (pgType === 'boolean') return 'bool';
  if (pgType.startsWith('timestamp')) return 'timestamp';
  if (pgType === 'date') return 'date';
  if (pgType === 'uuid') return 'uuid';
  if (pgType === 'json' || pgType === 'jsonb') return 'json';
  if (pgType === 'bytea') return 'bytes';
  if (/^(text|character varying|character|name)/.test(pgType)) return 'text';
  return 'other';
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Timestamps as `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, whatever fraction digits or offset the engine printed. */
function canonicalTimestamp(s: string): string {
  const m = /^(\d{4,}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?([+-]\d\d(?::?\d\d)?)?$/.exec(s);
  if (!m) return s;
  const frac = (m[3] ?? '').padEnd(6, '0');
  if (!m[4]) return `${m[1]} ${m[2]}.${frac}`;
  const date = new Date(`${m[1]}T${m[2]}${m[4].length === 3 ? `${m[4]}:00` : m[4]}`);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}.${frac}`;
}

function canonical(kind: ColumnKind, v: string | null): string {
  if (v === null) return '\u0000';
  switch (kind) {
    case 'int':
      return BigInt(v).toString();
    case 'numeric': {
      if (!v.includes('.')) return v === '-0' ? '0' : v;
      const trimmed = v.replace(/0+$/, '').replace(/\.$/, '');
      return /^-0?$/.test(trimmed) ? '0' : trimmed;
    }
    case 'float':
      return String(Number(v));
    case 'bool':
      return v === 't' || v === 'true' ? 't' : 'f';
    case 'timestamp':
      return canonicalTimestamp(v);
    case 'uuid':
      return v.toLowerCase();
    case 'json':
      return stableJson(JSON.parse(v));
    case 'bytes':
      return v.toLowerCase();
    default:
      return v;
  }
}

function accumulate(acc: TableChecksum, cols: Col[], row: (string | null)[]): void {
  const text = row.map((v, i) => canonical(cols[i]!.kind, v)).join('\u001f');
  const digest = createHash('md5').update(text).digest();
  acc.rows += 1;
  acc.sum = (acc.sum + digest.readBigUInt64BE(0)) % MOD;
}

const qi = (s: string) => `"${s.replaceAll('"', '""')}"`;

async function pgColumns(client: pg.Client, table: string): Promise<Col[]> {
  const r = await client.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return r.rows.map((c) => ({ name: c.name, kind: kindOf(c.type) }));
}

/** Checksum of a PostgreSQL table (streamed with a cursor). */
export async function pgTableChecksum(
  connection: pg.ClientConfig,
  table: string,
): Promise<TableChecksum & { columns: Col[] }> {
  const client = new pg.Client({ ...connection, types: { getTypeParser: () => (v: string) => v } });
  await client.connect();
  try {
    await client.query("SET TimeZone = 'UTC'; SET extra_float_digits = 3");
    const cols = await pgColumns(client, table);
    const select = cols
      .map((c) => (c.kind === 'bytes' ? `encode(${qi(c.name)}, 'hex')` : `${qi(c.name)}::text`))
      .join(', ');
    const acc: TableChecksum = { rows: 0, sum: 0n };
    await client.query('BEGIN');
    await client.query(`DECLARE dxa_sum NO SCROLL CURSOR FOR SELECT ${select} FROM ${table}`);
    for (;;) {
      const batch = await client.query({ text: 'FETCH 5000 FROM dxa_sum', rowMode: 'array' });
      for (const row of batch.rows as (string | null)[][]) accumulate(acc, cols, row);
      if (batch.rows.length < 5000) break;
    }
    await client.query('COMMIT');
    return { ...acc, columns: cols };
  } finally {
    await client.end();
  }
}

export type ChecksumColumn = Col;

/**
 * Checksum of rows already read as text (one value per column, in column order), canonicalised by
 * the kinds found on the PostgreSQL side: for engines reached some other way (the Snowflake fake).
 */
export function rowsChecksum(columns: Col[], rows: Iterable<(string | null)[]>): TableChecksum {
  const acc: TableChecksum = { rows: 0, sum: 0n };
  for (const row of rows) accumulate(acc, columns, row);
  return acc;
}

/** Checksum of a DuckDB table, rendering each column by the kind found on the PostgreSQL side. */
export async function duckdbTableChecksum(
  file: string,
  table: string,
  columns: Col[],
): Promise<TableChecksum> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    const select = columns
      .map((c) => (c.kind === 'bytes' ? `lower(hex(${qi(c.name)}))` : `CAST(${qi(c.name)} AS VARCHAR)`))
      .join(', ');
    const result = await conn.stream(`SELECT ${select} FROM ${table}`);
    const acc: TableChecksum = { rows: 0, sum: 0n };
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const row of chunk.getRows())
        accumulate(
          acc,
          columns,
          row.map((v) => (v === null ? null : String(v))),
        );
    }
    return acc;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
