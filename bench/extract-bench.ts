import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT, cleanupRedisPrefix, spawnDxa } from '@dxa/testing';
import { machineLine } from './machine.js';
import type { BenchStack } from './stack.js';
import { writeBenchmarksDoc, type Figure } from './report.js';
import { median, timeExtractJob, timeShell, type FinishedExtract } from './timing.js';

export type ExtractBench = {
  /** Section of docs/benchmarks.md and name of bench/out/<id>.json. */
  id: string;
  title: string;
  /** What the reference is and how it differs, appended to the section's note. */
  note?: string;
  rows: number;
  runs: number;
  stack: BenchStack;
  source: { connection: string; table: string };
  /** The reference pipeline, writing its output to `file`. */
  reference: { name: string; command: (file: string) => string };
};

/**
 * One source table extracted to gzip CSV and to Parquet by a real gateway and worker, alternating
 * with the reference command; the median run of each is written to docs/benchmarks.md.
 */
export async function runExtractBench(bench: ExtractBench): Promise<void> {
  const { dir, prefix, config } = bench.stack;
  const gateway = spawnDxa(['gateway', '--config', config, '--port', '0'], { env: { LOG_LEVEL: 'warn' } });
  const worker = spawnDxa(['worker', '--config', config, '--concurrency', '1'], {
    env: { LOG_LEVEL: 'warn' },
  });
  const refFile = join(dir, 'reference.out');
  const refCmd = bench.reference.command(refFile);
  const runs: Record<'ref' | 'csv' | 'parquet', FinishedExtract[]> = { ref: [], csv: [], parquet: [] };
  try {
    const url = (await gateway.waitFor(/gateway listening on (http:\/\/\S+)/))[1]!;
    await worker.waitFor(/worker \S+ serving/);
    const extract = (format: 'csv' | 'parquet') =>
      timeExtractJob(url, { type: 'extract', source: bench.source, format, stage: { path: format } });
    for (let i = 0; i < bench.runs; i++) {
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
  const rows = bench.rows;
  const figures: Figure[] = [
    { name: bench.reference.name, rows, ...median(runs.ref), reference: true },
    { name: 'dxa extract → gzip CSV', rows, ...median(runs.csv), reference: false },
    { name: 'dxa extract → Parquet (zstd)', rows, ...median(runs.parquet), reference: false },
  ];
  const out = resolve(REPO_ROOT, 'bench/out');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, `${bench.id}.json`),
    JSON.stringify({ machine: machineLine(), rows, runs, figures }, null, 2),
  );
  writeBenchmarksDoc(bench.id, {
    title: bench.title,
    machine: machineLine(),
    note: `median of ${bench.runs} alternating runs; dxa times are submit → completed through a real gateway and worker process${bench.note ? `; ${bench.note}` : ''}`,
    figures,
  });
  for (const f of figures)
    process.stdout.write(`${f.name}: ${(f.rows / f.seconds).toFixed(0)} rows/s, ${f.seconds.toFixed(2)} s\n`);
}
