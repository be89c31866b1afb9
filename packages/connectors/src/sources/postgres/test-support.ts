// Test helper: a throw-away database per test file on the local PostgreSQL (not exported).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_HOST, PG_PORT, PG_USER } from '@dxa/testing';
import type { PostgresConnection } from './description.js';

export type TestDatabase = {
  name: string;
  /** Connection settings for the source under test; application_name identifies its backends. */
  conn: PostgresConnection;
  /** Admin client connected to the test database. */
  sql: pg.Client;
  drop(): Promise<void>;
};

const ADMIN = { host: PG_HOST, port: PG_PORT, user: PG_USER, database: 'postgres' };

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
  return {
    name,
    conn: pgConnection({ name }, { application_name: name }),
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

/** A PostgreSQL connection (source or target) to a test database on the local server. */
export function pgConnection(
  db: { name: string },
  extraOptions: PostgresConnection['extra_options'] = {},
): PostgresConnection {
  return {
    type: 'postgresql',
    host: PG_HOST,
    port: PG_PORT,
    database: db.name,
    username: PG_USER,
    sslmode: 'disable',
    extra_options: extraOptions,
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
