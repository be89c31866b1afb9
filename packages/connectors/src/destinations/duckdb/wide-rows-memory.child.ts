// Child process of wide-rows-memory.test.ts: loads staged parts into DuckDB and reports its own
// peak RSS, so the measurement holds only the load (not vitest or the part writer).
import { readFileSync } from 'node:fs';
import { createLogger } from '@dxa/logger';
import type { Column, LoadFile } from '../../core/types.js';
import { createLocalStage } from '../../stages/local/index.js';
import { createDuckdbDestination } from './destination.js';

type ChildInput = { stageDir: string; dbFile: string; files: LoadFile[]; columns: Column[] };

function peakRssMiB(): number {
  const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!match?.[1]) throw new Error('no VmHWM in /proc/self/status');
  return Number(match[1]) / 1024;
}

const input = JSON.parse(process.argv[2] ?? '') as ChildInput;
const logger = createLogger('wide-rows-memory-child');
const stage = createLocalStage({ type: 'local', path: input.stageDir }, logger);
// The default memory_limit, as a worker runs it.
const dest = createDuckdbDestination({ type: 'duckdb', path: input.dbFile, memory_limit: '128MB' }, logger);
const ctx = { signal: new AbortController().signal };
const request = { table: 'wide', columns: input.columns, format: 'parquet' as const, files: input.files };
const first = await dest.load({ ...request, mode: 'replace', jobId: 'job-1' }, stage, ctx);
// Replacing a table of the same width also drops the old row groups in the same transaction.
const second = await dest.load({ ...request, mode: 'replace', jobId: 'job-2' }, stage, ctx);
await dest.close();
process.stdout.write(JSON.stringify({ rows: [first.rows, second.rows], peakRssMiB: peakRssMiB() }));
