import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  PG_HOST,
  PG_PORT,
  PG_USER,
  REDIS_URL,
  REPO_ROOT,
  cleanupRedisPrefix,
  spawnDxa,
  uniquePrefix,
} from '@dxa/testing';
import { ensurePgbench } from '../tests/pgbench.js';
import { machineLine } from './machine.js';
import { writeBenchmarksDoc, type Figure } from './report.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 50);
const ROWS = SCALE * 100_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** The run with the median time of `RUNS` runs, alternating with the other commands of the same round. */
function median<T extends { seconds: number }>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeShell(command: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`reference command failed: ${command}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function timeJob(
  gatewayUrl: string,
  body: unknown,
): Promise<{ seconds: number; bytes: number; files: number }> {
  const started = process.hrtime.bigint();
  const res = await fetch(`${gatewayUrl}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const view = (await (await fetch(`${gatewayUrl}/v1/jobs/${id}`)).json()) as {
      state: string;
      error?: unknown;
      result?: { extract?: { files: { bytes: number }[] } };
    };
    if (view.state === 'completed') {
      const files = view.result?.extract?.files ?? [];
      return {
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        bytes: files.reduce((a, f) => a + f.bytes, 0),
        files: files.length,
      };
    }
    if (view.state === 'failed' || view.state === 'cancelled')
      throw new Error(`benchmark job ${view.state}: ${JSON.stringify(view.error)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const database = await ensurePgbench(SCALE);
  const dir = mkdtempSync(join(tmpdir(), 'dxa-bench-'));
  const prefix = uniquePrefix('bench');
  const config = join(dir, 'configuration.toml');
  writeFileSync(
    config,
    `[application]\nwork_dir = "${join(dir, 'work')}"\n[redis]\nurl = "${REDIS_URL}"\nprefix = "${prefix}"\n` +
      `[connections.source.pg]\ntype = "postgresql"\nhost = "${PG_HOST}"\nport = ${PG_PORT}\ndatabase = "${database}"\nusername = "${PG_USER}"\n` +
      `[connections.stage.local]\ntype = "local"\npath = "${join(dir, 'stage')}"\n`,
  );
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
      ref: { seconds: number; bytes: number; files: number }[];
      csv: typeof runs.ref;
      parquet: typeof runs.ref;
    } = { ref: [], csv: [], parquet: [] };
    const extract = (format: 'csv' | 'parquet') =>
      timeJob(url, {
        type: 'extract',
        source: { connection: 'pg', table: 'public.pgbench_accounts' },
        format,
        stage: { path: format },
      });
    for (let i = 0; i < RUNS; i++) {
      runs.ref.push({ seconds: timeShell(psqlCmd), bytes: statSync(psqlFile).size, files: 1 });
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
