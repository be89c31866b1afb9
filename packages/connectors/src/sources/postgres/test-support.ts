// Test helper: a throw-away database per test file on the local PostgreSQL (not exported).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { PostgresConnection } from './description.js';

export type TestDatabase = {
  name: string;
  /** Connection settings for the source under test; application_name identifies its backends. */
  conn: PostgresConnection;
  /** Admin client connected to the test database. */
  sql: pg.Client;
  drop(): Promise<void>;
};

const ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `dxa_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(ADMIN);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const sql = new pg.Client({ ...ADMIN, database: name, application_name: `${name}_admin` });
  await sql.connect();
  const conn: PostgresConnection = {
    type: 'postgresql',
    host: '127.0.0.1',
    port: 5432,
    database: name,
    username: 'postgres',
    sslmode: 'disable',
    extra_options: { application_name: name },
  };
  return {
    name,
    conn,
    sql,
    async drop() {
      await sql.end();
      const dropper = new pg.Client(ADMIN);
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** Backends of the source under test (by application_name) that are running a statement. */
export async function activeBackends(db: TestDatabase): Promise<{ pid: number; query: string }[]> {
  const { rows } = await db.sql.query<{ pid: number; query: string }>(
    `SELECT pid, query FROM pg_stat_activity WHERE application_name = $1 AND state <> 'idle'`,
    [db.name],
  );
  return rows;
}

export { eventually, parseCsv, readAll } from '@dxa/testing';
