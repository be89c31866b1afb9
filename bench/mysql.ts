import { execFileSync } from 'node:child_process';
import { runExtractBench } from './extract-bench.js';
import { benchStack } from './stack.js';

// The MySQL/MariaDB source against the mysql client piped into gzip, on a pgbench_accounts-shaped table.
const ROWS = Number(process.env.BENCH_MYSQL_ROWS ?? 5_000_000);
const DATABASE = 'dxa_bench';
const MYSQL = ['-h', '127.0.0.1', '-P', '3306', '-u', 'root'];

function mysql(sql: string): string {
  return execFileSync('mysql', [...MYSQL, '--batch', '--skip-column-names', '-e', sql], { encoding: 'utf8' });
}

/** `dxa_bench.accounts` with ROWS rows, built once (MariaDB's sequence engine) and reused. */
function ensureTable(): void {
  mysql(`CREATE DATABASE IF NOT EXISTS ${DATABASE}`);
  const exists = mysql(
    `SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${DATABASE}' AND TABLE_NAME = 'accounts'`,
  ).trim();
  const count = exists === '1' ? mysql(`SELECT count(*) FROM ${DATABASE}.accounts`).trim() : '0';
  if (Number(count) === ROWS) return;
  // Same shape as pgbench_accounts; the filler is 84 spaces, as pgbench's char(84) prints.
  mysql(`DROP TABLE IF EXISTS ${DATABASE}.accounts;
    CREATE TABLE ${DATABASE}.accounts (aid int PRIMARY KEY, bid int NOT NULL, abalance int NOT NULL, filler varchar(84));
    INSERT INTO ${DATABASE}.accounts SELECT seq, (seq - 1) DIV 100000 + 1, 0, repeat(' ', 84) FROM ${DATABASE}.seq_1_to_${ROWS};`);
}

ensureTable();
await runExtractBench({
  id: 'mysql',
  title: `Extract from MariaDB: a pgbench_accounts-shaped table (${ROWS.toLocaleString('en-US')} rows)`,
  note: 'the reference writes tab-separated text, dxa writes interchange CSV',
  rows: ROWS,
  runs: Number(process.env.BENCH_RUNS ?? 3),
  // benchStack also names a PostgreSQL source (database postgres); this benchmark does not use it.
  stack: benchStack(
    'bench-mysql',
    'postgres',
    `[connections.source.my]\ntype = "mysql"\nhost = "127.0.0.1"\nport = 3306\ndatabase = "${DATABASE}"\nusername = "root"\n`,
  ),
  source: { connection: 'my', table: `${DATABASE}.accounts` },
  reference: {
    name: 'mysql --quick --batch | gzip -1 (reference)',
    command: (file) =>
      `mysql ${MYSQL.join(' ')} --quick --batch --raw --skip-column-names -e "SELECT * FROM ${DATABASE}.accounts" | gzip -1 > ${file}`,
  },
});
