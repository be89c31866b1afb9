// Helpers shared by the DuckDB destination tests: real part files written with DuckDB's COPY.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createLogger } from '@dxa/logger';
import type { Column, LoadFile, LoadRequest, RunContext, StageConnector } from '../../core/types.js';
import {
  DESTINATION_COLUMNS,
  DESTINATION_ROWS_SQL,
  writeDuckdbPart,
} from '../../contract/destination-parts.js';
import { createLocalStage } from '../../stages/local/index.js';

export const logger = createLogger('duckdb-destination-test');
export const ctx: RunContext = { signal: new AbortController().signal };

export const COLUMNS: Column[] = DESTINATION_COLUMNS;

/** The first three rows of DESTINATION_ROWS_SQL as `roundTripSql` reads them back. */
export const EXPECTED_ROWS = [
  [1, 'alpha', '12.34', true, '00FF', '2024-01-02 03:04:05.123456', '2024-02-29'],
  [2, '', null, false, '', null, null],
  [3, null, '-0.50', null, null, '1999-12-31 23:59:59', '0001-01-01'],
];

export function roundTripSql(table: string): string {
  return `SELECT id, name, amount::VARCHAR, flag, hex(data), ts::VARCHAR, "Day Of"::VARCHAR FROM ${table} ORDER BY id`;
}

/** Opens a database file for a test query; closed right after so the destination can open it. */
export async function withDb<T>(
  file: string,
  fn: (run: (sql: string) => Promise<unknown[][]>) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  try {
    return await fn(async (sql) => (await conn.runAndReadAll(sql)).getRowsJS());
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export function query(file: string, sql: string): Promise<unknown[][]> {
  return withDb(file, (run) => run(sql));
}

/** Writes the test rows (ids 1–3) whose id matches `where` as a Parquet or gzip interchange-CSV part. */
export function writePart(file: string, format: 'parquet' | 'csv', where: string): Promise<void> {
  return writeDuckdbPart(file, format, DESTINATION_ROWS_SQL, COLUMNS, `id <= 3 AND (${where})`);
}

/** An `orders` table a load must leave as it was when it fails, and the query that shows it. */
export const PREVIOUS_ORDERS = `CREATE TABLE orders (id INTEGER, name VARCHAR, amount DECIMAL(12,2), flag BOOLEAN, data BLOB, ts TIMESTAMP, "Day Of" DATE);
  INSERT INTO orders (id, name) VALUES (100, 'old-a'), (101, 'old-b')`;
export const ORDERS_SNAPSHOT = 'SELECT * FROM orders ORDER BY id';

export type Fixture = { dir: string; dbFile: string; stage: StageConnector; cleanup: () => Promise<void> };

export async function makeFixture(): Promise<Fixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dxa-duckdb-'));
  const stage = createLocalStage({ type: 'local', path: path.join(dir, 'stage') }, logger);
  return {
    dir,
    dbFile: path.join(dir, 'warehouse.duckdb'),
    stage,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Stages the three test rows as two parts (ids 1-2 and id 3) and returns them as load files. */
export async function stageParts(
  fx: Fixture,
  format: 'parquet' | 'csv',
  prefix = 'run1',
): Promise<LoadFile[]> {
  const ext = format === 'parquet' ? 'parquet' : 'csv.gz';
  const parts = [
    { relPath: `${prefix}/part-00001.${ext}`, where: 'id <= 2', rows: 2 },
    { relPath: `${prefix}/part-00002.${ext}`, where: 'id = 3', rows: 1 },
  ];
  for (const p of parts) await writePart(fx.stage.localPath(p.relPath) ?? '', format, p.where);
  return parts.map((p) => ({ relPath: p.relPath, localPath: undefined, rows: p.rows }));
}

export function request(
  table: string,
  mode: LoadRequest['mode'],
  format: 'parquet' | 'csv',
  files: LoadFile[],
  jobId = 'job-1',
): LoadRequest {
  return { table, mode, columns: COLUMNS, format, files, jobId };
}

export function scratchTables(file: string): Promise<unknown[][]> {
  return query(file, "SELECT table_name FROM duckdb_tables() WHERE contains(table_name, '__dxa_')");
}
