import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createTestDatabase, type TestDatabase } from '@dxa/testing';
import type pg from 'pg';
import { createTableSql, insertSql, TORTURE_ROWS, type TortureRow } from './torture.js';

export type PgTorture = { db: TestDatabase; client: pg.Client; close(): Promise<void> };

/** A fresh PostgreSQL database holding `torture` (and whatever `extra` creates). */
export async function pgTorture(rows: TortureRow[] = TORTURE_ROWS, table = 'torture'): Promise<PgTorture> {
  const db = await createTestDatabase('val');
  const client = await db.client();
  await client.query(createTableSql('postgresql', table));
  await client.query(insertSql('postgresql', table, rows));
  return {
    db,
    client,
    async close() {
      await client.end();
      await db.drop();
    },
  };
}

/** An in-memory DuckDB holding an equal copy of `torture`. */
export async function duckTorture(rows: TortureRow[] = TORTURE_ROWS): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(createTableSql('duckdb', 'torture'));
  await connection.run(insertSql('duckdb', 'torture', rows));
  return connection;
}
