import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_HOST = process.env.DXA_TEST_PG_HOST ?? '127.0.0.1';
export const PG_PORT = Number(process.env.DXA_TEST_PG_PORT ?? 5432);
export const PG_USER = process.env.DXA_TEST_PG_USER ?? 'postgres';

export type TestDatabase = {
  name: string;
  client(): Promise<pg.Client>;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  drop(): Promise<void>;
};

async function adminClient(): Promise<pg.Client> {
  const c = new pg.Client({ host: PG_HOST, port: PG_PORT, user: PG_USER, database: 'postgres' });
  await c.connect();
  return c;
}

/** A fresh PostgreSQL database for one test file, dropped (with its connections) afterwards. */
export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const name = `dxa_${label}_${randomBytes(4).toString('hex')}`;
  const admin = await adminClient();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const open = async () => {
    const c = new pg.Client({ host: PG_HOST, port: PG_PORT, user: PG_USER, database: name });
    await c.connect();
    return c;
  };
  return {
    name,
    client: open,
    async query(sql, params) {
      const c = await open();
      try {
        return await c.query(sql, params);
      } finally {
        await c.end();
      }
    },
    async drop() {
      const a = await adminClient();
      try {
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** An existing database kept between runs (for large fixtures such as pgbench tables). */
export async function ensureDatabase(name: string): Promise<void> {
  const admin = await adminClient();
  try {
    const r = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (r.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
}

export function uniquePrefix(label = 'test'): string {
  return `dxa-${label}-${randomBytes(4).toString('hex')}`;
}
