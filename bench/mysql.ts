import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT, cleanupRedisPrefix, spawnDxa } from '@dxa/testing';
import { machineLine } from './machine.js';
import { benchStack } from './stack.js';
import { writeBenchmarksDoc, type Figure } from './report.js';
import { median, timeExtractJob, timeShell, type FinishedExtract } from './timing.js';

// The MySQL/MariaDB source against the mysql client piped into gzip, on a pgbench_accounts-shaped table.
const ROWS = Number(process.env.BENCH_MYSQL_ROWS ?? 5_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
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

async function main(): Promise<void> {
  ensureTable();
  // benchStack also names a PostgreSQL source (database postgres); this benchmark does not use it.
  const { dir, prefix, config } = benchStack(
    'bench-mysql',
    'postgres',
    `[connections.source.my]\ntype = "mysql"\nhost = "127.0.0.1"\nport = 3306\ndatabase = "${DATABASE}"\nusername = "root"\n`,
  );
  const gateway = spawnDxa(['gateway', '--config', config, '--port', '0'], { env: { LOG_LEVEL: 'warn' } });
  const worker = spawnDxa(['worker', '--config', config, '--concurrency', '1'], {
    env: { LOG_LEVEL: 'warn' },
  });
  const refFile = join(dir, 'mysql.tsv.gz');
  const refCmd = `mysql ${MYSQL.join(' ')} --quick --batch --raw --skip-column-names -e "SELECT * FROM ${DATABASE}.accounts" | gzip -1 > ${refFile}`;
  const runs: Record<'ref' | 'csv' | 'parquet', FinishedExtract[]> = { ref: [], csv: [], parquet: [] };
  try {
    const url = (await gateway.waitFor(/gateway listening on (http:\/\/\S+)/))[1]!;
    await worker.waitFor(/worker \S+ serving/);
    const extract = (format: 'csv' | 'parquet') =>
      timeExtractJob(url, {
        type: 'extract',
        source: { connection: 'my', table: `${DATABASE}.accounts` },
        format,
        stage: { path: format },
      });
    for (let i = 0; i < RUNS; i++) {
      runs.ref.push({ seconds: timeShell(refCmd), bytes: statSync(refFile).size, files: 1, partitions: 1 });
      runs.csv.push(await extract('csv'));
      runs.parquet.push(await extract('parquet'));
    }
  } finally {
    await worker.stop();
    await gateway.stop();
    await cleanupRedisPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  }
  const figures: Figure[] = [
    { name: 'mysql --quick --batch | gzip -1 (reference)', rows: ROWS, ...median(runs.ref), reference: true },
    { name: 'dxa extract → gzip CSV', rows: ROWS, ...median(runs.csv), reference: false },
    { name: 'dxa extract → Parquet (zstd)', rows: ROWS, ...median(runs.parquet), reference: false },
  ];
  const out = resolve(REPO_ROOT, 'bench/out');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'mysql.json'),
    JSON.stringify({ machine: machineLine(), rows: ROWS, runs }, null, 2),
  );
  writeBenchmarksDoc('mysql', {
    title: `Extract from MariaDB: a pgbench_accounts-shaped table (${ROWS.toLocaleString('en-US')} rows)`,
    machine: machineLine(),
    note: `median of ${RUNS} alternating runs; dxa times are submit → completed through a real gateway and worker process; the reference writes tab-separated text, dxa writes interchange CSV`,
    figures,
  });
  for (const f of figures)
    process.stdout.write(`${f.name}: ${(f.rows / f.seconds).toFixed(0)} rows/s, ${f.seconds.toFixed(2)} s\n`);
}

await main();
