// Test helper: a throw-away database per test file on the local MariaDB (not exported).
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { MysqlConnection } from './description.js';

export type TestDatabase = {
  name: string;
  /** Connection settings for the source under test. */
  conn: MysqlConnection;
  /** Admin connection with no default database (so processlist shows only the source's threads in `name`). */
  sql: mysql.Connection;
  drop(): Promise<void>;
};

const ADMIN = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `dxa_t_${randomBytes(6).toString('hex')}`;
  const sql = await mysql.createConnection({
    ...ADMIN,
    charset: 'utf8mb4_general_ci',
    multipleStatements: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  await sql.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  const conn: MysqlConnection = {
    type: 'mysql',
    host: '127.0.0.1',
    port: 3306,
    database: name,
    username: 'root',
    extra_options: {},
  };
  return {
    name,
    conn,
    sql,
    async drop() {
      try {
        await sql.query(`DROP DATABASE IF EXISTS ${name}`);
        await sql.query(`DROP USER IF EXISTS '${name}'@'%'`);
      } finally {
        await sql.end();
      }
    },
  };
}

/**
 * A user named after the test database, with `password` and every privilege on `databases` (which
 * need not exist); dropped with the database. Returns its name.
 */
export async function grantPasswordUser(
  db: TestDatabase,
  password: string,
  databases: string[] = [db.name],
): Promise<string> {
  for (const database of databases)
    await db.sql.query(`GRANT ALL ON ${database}.* TO '${db.name}'@'%' IDENTIFIED BY '${password}'`);
  return db.name;
}

/** Threads of the source under test (default database `name`) that are running a statement. */
export async function activeThreads(db: TestDatabase): Promise<{ id: number; info: string }[]> {
  const [rows] = await db.sql.query<mysql.RowDataPacket[]>(
    `SELECT ID AS id, INFO AS info FROM information_schema.PROCESSLIST
      WHERE DB = ? AND COMMAND <> 'Sleep' AND ID <> CONNECTION_ID()`,
    [db.name],
  );
  return rows.map((r) => ({ id: Number(r['id']), info: String(r['info']) }));
}

export { eventually, parseCsv, readAll } from '@dxa/testing';
