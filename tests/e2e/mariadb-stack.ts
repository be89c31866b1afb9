import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { createStack, type Stack } from './harness.js';

const MY = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** A throw-away MariaDB database, configured as the source `my_main` of a gateway and a worker. */
export type MariadbStack = {
  database: string;
  /** Root connection without a default database; multiple statements, values as strings. */
  admin: mysql.Connection;
  stack: Stack;
  stop(): Promise<void>;
};

/** Creates the database, runs the `setup` statements in it, then starts the gateway and a `default` worker. */
export async function startMariadbStack(setup: string): Promise<MariadbStack> {
  const database = `dxa_e2e_${randomBytes(5).toString('hex')}`;
  const admin = await mysql.createConnection({
    ...MY,
    multipleStatements: true,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  await admin.query(
    `CREATE DATABASE ${database} CHARACTER SET utf8mb4; USE ${database}; ${setup}; USE mysql;`,
  );
  const stack = createStack({
    database: 'postgres',
    extraToml: `
[connections.source.my_main]
type = "mysql"
host = "127.0.0.1"
port = 3306
database = "${database}"
username = "root"
`,
  });
  await stack.startGateway();
  await stack.startWorker('default');
  return {
    database,
    admin,
    stack,
    async stop() {
      await stack.stop();
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    },
  };
}
