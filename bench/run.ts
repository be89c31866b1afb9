import { rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PG_HOST, PG_PORT, PG_USER, REPO_ROOT, cleanupRedisPrefix, spawnDxa } from '@dxa/testing';
import { ensurePgbench } from '../tests/pgbench.js';
import { machineLine } from './machine.js';
import { benchStack } from './stack.js';
import { writeBenchmarksDoc, type Figure } from './report.js';
import { median, timeExtractJob, timeShell, type FinishedExtract } from './timing.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 50);
const ROWS = SCALE * 100_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function main(): Promise<void> {
  const database = await ensurePgbench(SCALE);
  const { dir, prefix, config } = benchStack('bench', database);
  const gateway = spawnDxa(['gateway', '--config', config, '--port', '0'], { env: { LOG_LEVEL: 'warn' } });
  const worker = spawnDxa(['worker', '--config', config, '--concurrency', '1'], {
    env: { LOG_LEVEL: 'warn' },
  });
  const figures: Figure[] = [];
  try {
    const url = (await gateway.waitFor(/gateway listening on (http:\/\/\S+)/))[1]!;
    await worker.waitFor(/worker \S+ serving/);
    const psqlFile = join(dir, 'psql.csv.gz');
    const psqlCmd = `psql -h ${PG_HOST} -p ${PG_PORT} -U ${PG_USER} -d ${database} -c "COPY pgbench_accounts TO STDOUT" | gzip -1 > ${psqlFile}`;
    const runs: {
      ref: FinishedExtract[];
      csv: typeof runs.ref;
      parquet: typeof runs.ref;
    } = { ref: [], csv: [], parquet: [] };
    const extract = (format: 'csv' | 'parquet') =>
      timeExtractJob(url, {
        type: 'extract',
        source: { connection: 'pg', table: 'public.pgbench_accounts' },
        format,
        stage: { path: format },
      });
    for (let i = 0; i < RUNS; i++) {
      runs.ref.push({ seconds: timeShell(psqlCmd), bytes: statSync(psqlFile).size, files: 1, partitions: 1 });
      runs.csv.push(await extract('csv'));
      runs.parquet.push(await extract('parquet'));
    }
    figures.push({
      name: 'psql COPY | gzip -1 (reference)',
      rows: ROWS,
      ...median(runs.ref),
      reference: true,
    });
    figures.push({ name: 'dxa extract → gzip CSV', rows: ROWS, ...median(runs.csv), reference: false });
    figures.push({
      name: 'dxa extract → Parquet (zstd)',
      rows: ROWS,
      ...median(runs.parquet),
      reference: false,
    });
  } finally {
    await worker.stop();
    await gateway.stop();
    await cleanupRedisPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  }
  const out = resolve(REPO_ROOT, 'bench/out');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'extract.json'),
    JSON.stringify({ machine: machineLine(), scale: SCALE, figures }, null, 2),
  );
  writeBenchmarksDoc('extract', {
    title: `Extract pgbench_accounts, scale ${SCALE} (${ROWS.toLocaleString('en-US')} rows)`,
    machine: machineLine(),
    note: `median of ${RUNS} alternating runs; dxa times are submit → completed through a real gateway and worker process`,
    figures,
  });
  for (const f of figures)
    process.stdout.write(`${f.name}: ${(f.rows / f.seconds).toFixed(0)} rows/s, ${f.seconds.toFixed(2)} s\n`);
}

await main();
