import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

/** Runs one read-only query against a DuckDB file; undefined if the file does not exist. */
export async function duckdbQuery(file: string, sql: string): Promise<Record<string, unknown>[] | undefined> {
  if (!existsSync(file)) return undefined;
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJson();
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Runs statements on a DuckDB file read-write; closed right after so workers can open it. */
export async function duckdbExec(file: string, sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  try {
    await conn.run(sql);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export async function duckdbTables(file: string): Promise<string[]> {
  const rows = await duckdbQuery(file, 'SELECT table_name FROM information_schema.tables ORDER BY 1');
  return (rows ?? []).map((r) => String(r.table_name));
}
