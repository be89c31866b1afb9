import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  PG_HOST,
  PG_PORT,
  PG_USER,
  REPO_ROOT,
  cleanupRedisPrefix,
  spawnDxa,
  type DxaProcess,
} from '@dxa/testing';
import { ensurePgbench } from '../tests/pgbench.js';
import { machineLine } from './machine.js';
import { benchStack } from './stack.js';
import { writeBenchmarksDoc, type Figure } from './report.js';
import { median, timeExtractJob, timeShell, type FinishedExtract } from './timing.js';

// 20M rows by default (`pgbench -i -s 200`, about 2.6 GB of heap).
const SCALE = Number(process.env.BENCH_PARTITION_SCALE ?? 200);
const ROWS = SCALE * 100_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FORMAT = process.env.BENCH_FORMAT === 'parquet' ? 'parquet' : 'csv';

type Run = FinishedExtract & {
  peakRssMiB: number[];
  /** CPU seconds each worker process spent during the run (all its threads). */
  workerCpuSeconds: number[];
  /** CPU seconds the PostgreSQL server processes spent during the run (the source's share of the work). */
  sourceCpuSeconds: number;
};

const TICKS_PER_SECOND = 100;

/**
 * CPU seconds a process has used so far, from its `/proc/<pid>/stat` text: utime and stime (fields
 * 14–15 of stat, 12–13 after the command), plus its waited-for children's (cutime, cstime) if asked.
 */
function statCpuSeconds(stat: string, withChildren: boolean): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const indexes = withChildren ? [11, 12, 13, 14] : [11, 12];
  return indexes.reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by every PostgreSQL server process (`comm` postgres), children included. */
function postgresCpuSeconds(): number {
  let seconds = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.includes('(postgres)')) seconds += statCpuSeconds(stat, true);
    } catch {
      // the process ended while being read
    }
  }
  return seconds;
}

/** CPU seconds a process has used so far (utime + stime of all its threads). */
function processCpuSeconds(proc: DxaProcess): number {
  return statCpuSeconds(readFileSync(`/proc/${proc.child.pid}/stat`, 'utf8'), false);
}

/** Peak resident set of a process so far (VmHWM), MiB. */
function peakRssMiB(proc: DxaProcess): number {
  const status = readFileSync(`/proc/${proc.child.pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Wall seconds of the reference pipeline and the source server's CPU seconds meanwhile. */
function timeReference(command: string): { seconds: number; sourceCpuSeconds: number } {
  const cpuBefore = postgresCpuSeconds();
  const seconds = timeShell(command);
  return { seconds, sourceCpuSeconds: postgresCpuSeconds() - cpuBefore };
}

type Setup = { name: string; workers: number; partitionConcurrency: number; partitions?: 'auto' };

const SETUPS: Setup[] = [
  { name: 'dxa, 1 worker, no partitions', workers: 1, partitionConcurrency: 1 },
  {
    name: 'dxa, 1 worker, auto partitions (2 at a time)',
    workers: 1,
    partitionConcurrency: 2,
    partitions: 'auto',
  },
  { name: 'dxa, 2 workers, auto partitions', workers: 2, partitionConcurrency: 1, partitions: 'auto' },
];

/** Fresh worker processes per run, so each one's peak RSS belongs to that run alone. */
async function runSetup(url: string, config: string, setup: Setup, label: string): Promise<Run> {
  const workers = Array.from({ length: setup.workers }, () =>
    spawnDxa(['worker', '--config', config, '--affinity', label, '--concurrency', '1'], {
      env: { LOG_LEVEL: 'warn', DXA_PARTITION_CONCURRENCY: String(setup.partitionConcurrency) },
    }),
  );
  try {
    await Promise.all(workers.map((w) => w.waitFor(/worker \S+ serving/)));
    const cpuBefore = postgresCpuSeconds();
    const workerCpuBefore = workers.map(processCpuSeconds);
    const timed = await timeExtractJob(url, {
      type: 'extract',
      affinity: label,
      source: { connection: 'pg', table: 'public.pgbench_accounts' },
      format: FORMAT,
      stage: { path: label },
      options: setup.partitions ? { partitions: setup.partitions } : {},
    });
    return {
      ...timed,
      peakRssMiB: workers.map(peakRssMiB),
      workerCpuSeconds: workers.map((w, i) => processCpuSeconds(w) - workerCpuBefore[i]!),
      sourceCpuSeconds: postgresCpuSeconds() - cpuBefore,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

async function main(): Promise<void> {
  const database = await ensurePgbench(SCALE);
  const { dir, prefix, config, stage } = benchStack('bench', database);
  const gateway = spawnDxa(['gateway', '--config', config, '--port', '0'], { env: { LOG_LEVEL: 'warn' } });
  const psqlFile = join(dir, 'psql.csv.gz');
  const psqlCmd = `psql -h ${PG_HOST} -p ${PG_PORT} -U ${PG_USER} -d ${database} -c "COPY pgbench_accounts TO STDOUT" | gzip -1 > ${psqlFile}`;
  const ref: Run[] = [];
  const runs: Run[][] = SETUPS.map(() => []);
  try {
    const url = (await gateway.waitFor(/gateway listening on (http:\/\/\S+)/))[1]!;
    for (let i = 0; i < RUNS; i++) {
      ref.push({
        ...timeReference(psqlCmd),
        bytes: statSync(psqlFile).size,
        files: 1,
        peakRssMiB: [],
        workerCpuSeconds: [],
        partitions: 1,
      });
      for (const [s, setup] of SETUPS.entries()) {
        runs[s]!.push(await runSetup(url, config, setup, `bench${s}`));
        rmSync(stage, { recursive: true, force: true });
        process.stdout.write(`run ${i + 1}: ${setup.name}: ${runs[s]!.at(-1)!.seconds.toFixed(2)} s\n`);
      }
    }
  } finally {
    await gateway.stop();
    await cleanupRedisPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  }
  const figures: Figure[] = [
    (({ peakRssMiB: _none, workerCpuSeconds: _cpu, ...r }) => ({
      name: 'psql COPY | gzip -1 (reference)',
      rows: ROWS,
      ...r,
      reference: true,
    }))(median(ref)),
    ...SETUPS.map((setup, s) => {
      const m = median(runs[s]!);
      const parts = setup.partitions ? ` (${m.partitions} partitions)` : '';
      return {
        name: `${setup.name}${parts} → ${FORMAT === 'csv' ? 'gzip CSV' : 'Parquet'}`,
        rows: ROWS,
        ...m,
        reference: false,
      };
    }),
  ];
  const out = resolve(REPO_ROOT, 'bench/out');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'partitions.json'),
    JSON.stringify({ machine: machineLine(), scale: SCALE, format: FORMAT, ref, runs }, null, 2),
  );
  writeBenchmarksDoc('partitions', {
    title: `One table across workers: pgbench_accounts, scale ${SCALE} (${ROWS.toLocaleString('en-US')} rows)`,
    machine: machineLine(),
    note: `median of ${RUNS} alternating runs; dxa times are submit → completed of an extract job through a real gateway and fresh worker processes (concurrency 1, DXA_PARTITION_CONCURRENCY as named); peak RSS is each worker's VmHWM`,
    figures,
  });
  for (const f of figures)
    process.stdout.write(
      `${f.name}: ${(f.rows / f.seconds).toFixed(0)} rows/s, ${f.seconds.toFixed(2)} s${f.peakRssMiB ? `, peak RSS ${f.peakRssMiB.map((m) => m.toFixed(0)).join('/')} MiB` : ''}\n`,
    );
}

await main();
