import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@dxa/testing';

export type Figure = {
  name: string;
  rows: number;
  seconds: number;
  bytes: number;
  files: number;
  reference: boolean;
  /** Peak resident memory of each worker process of the run, MiB (VmHWM). */
  peakRssMiB?: number[];
  /** CPU seconds the source database server spent during the run. */
  sourceCpuSeconds?: number;
  /** CPU seconds each worker process spent during the run. */
  workerCpuSeconds?: number[];
};

const DOC = resolve(REPO_ROOT, 'docs/benchmarks.md');

function table(figures: Figure[]): string {
  const ref = figures.find((f) => f.reference);
  const withRss = figures.some((f) => f.peakRssMiB !== undefined);
  const withCpu = figures.some((f) => f.sourceCpuSeconds !== undefined);
  const withWorkerCpu = figures.some((f) => f.workerCpuSeconds !== undefined);
  const lines = [
    `| run | rows/s | seconds | output | files | vs reference |${withRss ? ' peak RSS per worker |' : ''}${withCpu ? ' PostgreSQL CPU s |' : ''}${withWorkerCpu ? ' worker CPU s |' : ''}`,
    `|---|---:|---:|---:|---:|---:|${withRss ? '---:|' : ''}${withCpu ? '---:|' : ''}${withWorkerCpu ? '---:|' : ''}`,
  ];
  for (const f of figures) {
    const rate = f.rows / f.seconds;
    const ratio = ref ? (rate / (ref.rows / ref.seconds)).toFixed(2) : '-';
    const rss = withRss ? ` ${f.peakRssMiB?.map((m) => `${m.toFixed(0)} MiB`).join(', ') ?? '-'} |` : '';
    const cpu = withCpu ? ` ${f.sourceCpuSeconds?.toFixed(1) ?? '-'} |` : '';
    const workerCpu = withWorkerCpu
      ? ` ${f.workerCpuSeconds?.map((s) => s.toFixed(1)).join(' + ') || '-'} |`
      : '';
    lines.push(
      `| ${f.name.replaceAll('|', '\\|')} | ${Math.round(rate).toLocaleString('en-US')} | ${f.seconds.toFixed(2)} | ${(f.bytes / 2 ** 20).toFixed(1)} MiB | ${f.files} | ${f.reference ? '1.00 (reference)' : `${ratio}×`} |${rss}${cpu}${workerCpu}`,
    );
  }
  return lines.join('\n');
}

/** Replaces the section between `<!-- bench:<id> -->` markers in docs/benchmarks.md. */
export function writeBenchmarksDoc(
  id: string,
  section: { title: string; machine: string; note: string; figures: Figure[] },
): void {
  replaceSection(
    id,
    `### ${section.title}\n\nMachine: ${section.machine}. Measured ${new Date().toISOString().slice(0, 10)}; ${section.note}.\n\n${table(section.figures)}`,
  );
}

function replaceSection(id: string, content: string): void {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const body = `${start}\n${content}\n${end}`;
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  doc = doc.includes(start)
    ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => body)
    : `${doc.trimEnd()}\n\n${body}\n`;
  writeFileSync(DOC, doc);
}

export type ValidateRun = { seconds: number; timingsMs: Record<string, number> };

/** The validation benchmark's section: the reference query, the dxa job, their ratio and where dxa's time went. */
export function writeValidateDoc(section: {
  title: string;
  machine: string;
  note: string;
  rows: number;
  reference: number;
  dxa: ValidateRun;
  /** Every alternating pair (reference, dxa) in seconds: under a noisy machine their ratios say more. */
  pairs: { reference: number; dxa: number }[];
}): void {
  const { reference, dxa, rows } = section;
  const t = dxa.timingsMs;
  const phases = ['describe', 'count', 'rows', 'total']
    .filter((k) => t[k] !== undefined)
    .map((k) => `${k} ${((t[k] ?? 0) / 1000).toFixed(2)} s`)
    .join(', ');
  const lines = [
    '| run | rows/s | seconds | vs reference |',
    '|---|---:|---:|---:|',
    `| PostgreSQL hashes every row, one query (reference) | ${Math.round(rows / reference).toLocaleString('en-US')} | ${reference.toFixed(2)} | 1.00 (reference) |`,
    `| dxa validate, levels rows (PostgreSQL → DuckDB) | ${Math.round(rows / dxa.seconds).toLocaleString('en-US')} | ${dxa.seconds.toFixed(2)} | ${(dxa.seconds / reference).toFixed(2)}× the time |`,
  ];
  const body = [
    `### ${section.title}`,
    '',
    `Machine: ${section.machine}. Measured ${new Date().toISOString().slice(0, 10)}; ${section.note}.`,
    '',
    lines.join('\n'),
    '',
    `Ratio of each alternating pair (dxa / reference): ${section.pairs.map((p) => `${p.dxa.toFixed(2)} / ${p.reference.toFixed(2)} = ${(p.dxa / p.reference).toFixed(2)}×`).join('; ')}.`,
    '',
    `Inside the median dxa run (the worker's report timings): ${phases}. Goal: ≤ 1.50× the reference.`,
  ].join('\n');
  replaceSection('validate', body);
}
