// Part files for destination tests (test support, never imported by product code): rows given as a
// DuckDB SELECT, written as Parquet or as gzip interchange CSV the way the part writers would.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteDuckdbIdent, quoteDuckdbString } from '@dxa/files';
import type { Column } from '../core/types.js';

/** The columns of the destination contract's rows. */
export const DESTINATION_COLUMNS: Column[] = [
  { name: 'id', sourceType: 'integer', type: 'int32', nullable: false },
  { name: 'name', sourceType: 'text', type: 'text', nullable: true },
  { name: 'amount', sourceType: 'numeric(12,2)', type: 'decimal', precision: 12, scale: 2, nullable: true },
  { name: 'flag', sourceType: 'boolean', type: 'boolean', nullable: true },
  { name: 'data', sourceType: 'bytea', type: 'binary', nullable: true },
  { name: 'ts', sourceType: 'timestamp', type: 'timestamp', nullable: true },
  { name: 'Day Of', sourceType: 'date', type: 'date', nullable: true },
];

/** Five rows of DESTINATION_COLUMNS: NULL next to empty text, quotes, a newline, unicode. */
export const DESTINATION_ROWS_SQL = `SELECT * FROM (VALUES
  (1, 'alpha', 12.34::DECIMAL(12,2), true, '\\x00\\xFF'::BLOB, TIMESTAMP '2024-01-02 03:04:05.123456', DATE '2024-02-29'),
  (2, '', NULL, false, ''::BLOB, NULL, NULL),
  (3, NULL, -0.5::DECIMAL(12,2), NULL, NULL, TIMESTAMP '1999-12-31 23:59:59', DATE '0001-01-01'),
  (4, 'a "quoted", comma' || chr(10) || 'newline', 0.01::DECIMAL(12,2), true, 'x'::BLOB, NULL, DATE '2000-01-01'),
  (5, 'ünïcödé ✓ 😀', NULL, false, NULL, TIMESTAMP '2000-01-01 00:00:00.000001', NULL)
) v(id, name, amount, flag, data, ts, "Day Of")`;

/**
 * The interchange text of each column (booleans t/f, binary as \x + hex); DuckDB's CSV writer
 * already quotes empty strings as "" and leaves NULL unquoted and empty.
 */
function interchangeSelect(rowsSql: string, columns: readonly Column[]): string {
  const fields = columns.map((c) => {
    const col = quoteDuckdbIdent(c.name);
    if (c.type === 'boolean') return `CASE WHEN ${col} THEN 't' WHEN NOT ${col} THEN 'f' END AS ${col}`;
    if (c.type === 'binary') return `'\\x' || lower(hex(${col})) AS ${col}`;
    return `${col}::VARCHAR AS ${col}`;
  });
  return `SELECT ${fields.join(', ')} FROM (${rowsSql})`;
}

/** Writes the rows of `rowsSql` matching `where` to `file` as a Parquet or gzip interchange-CSV part. */
export async function writeDuckdbPart(
  file: string,
  format: 'parquet' | 'csv',
  rowsSql: string,
  columns: readonly Column[],
  where = 'true',
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const rows = `SELECT * FROM (${rowsSql}) WHERE ${where}`;
  const source = format === 'parquet' ? rows : interchangeSelect(rows, columns);
  const options = format === 'parquet' ? '(FORMAT parquet)' : '(FORMAT csv, HEADER, COMPRESSION gzip)';
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${source}) TO ${quoteDuckdbString(file)} ${options}`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
