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
};

const DOC = resolve(REPO_ROOT, 'docs/benchmarks.md');

function table(figures: Figure[]): string {
  const ref = figures.find((f) => f.reference);
  const lines = [
    '| run | rows/s | seconds | output | files | vs reference |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const f of figures) {
    const rate = f.rows / f.seconds;
    const ratio = ref ? (rate / (ref.rows / ref.seconds)).toFixed(2) : '-';
    lines.push(
      `| ${f.name.replaceAll('|', '\\|')} | ${Math.round(rate).toLocaleString('en-US')} | ${f.seconds.toFixed(2)} | ${(f.bytes / 2 ** 20).toFixed(1)} MiB | ${f.files} | ${f.reference ? '1.00 (reference)' : `${ratio}×`} |`,
    );
  }
  return lines.join('\n');
}

/** Replaces the section between `<!-- bench:<id> -->` markers in docs/benchmarks.md. */
export function writeBenchmarksDoc(
  id: string,
  section: { title: string; machine: string; note: string; figures: Figure[] },
): void {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const body = `${start}\n### ${section.title}\n\nMachine: ${section.machine}. Measured ${new Date().toISOString().slice(0, 10)}; ${section.note}.\n\n${table(section.figures)}\n${end}`;
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  doc = doc.includes(start)
    ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), body)
    : `${doc.trimEnd()}\n\n${body}\n`;
  writeFileSync(DOC, doc);
}
