import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT, cleanupRedisPrefix, spawnDxa } from '@dxa/testing';
import { ensurePgbench } from '../tests/pgbench.js';
import { machineLine } from './machine.js';
import { benchStack } from './stack.js';
import { writeValidateDoc, type ValidateRun } from './report.js';
import { referenceSql, timeReference } from './validate-reference.js';
import { median } from './timing.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 50);
const ROWS = SCALE * 100_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TABLE = 'pgbench_accounts';

type JobView = {
  state: string;
  error?: unknown;
  result?: {
    validation?: {
      status: string;
      count?: { target_rows: number };
      rows?: { status: string; source_rows: number; target_rows: number };
      report?: { json?: string };
    };
  };
};

/** Submits a job and polls its view until it ends; seconds are POST → final state. */
async function runJob(gatewayUrl: string, body: unknown): Promise<{ seconds: number; view: JobView }> {
  const started = process.hrtime.bigint();
  const res = await fetch(`${gatewayUrl}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`submit failed: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const view = (await (await fetch(`${gatewayUrl}/v1/jobs/${id}`)).json()) as JobView;
    if (['completed', 'failed', 'cancelled'].includes(view.state))
      return { seconds: Number(process.hrtime.bigint() - started) / 1e9, view };
    await new Promise((r) => setTimeout(r, 50));
  }
}

const source = { connection: 'pg', table: `public.${TABLE}` };
const target = { connection: 'duck', table: TABLE };

/** The DuckDB copy is made once (a dxa migrate) and reused while its row count matches. */
async function ensureDuckdbCopy(url: string): Promise<void> {
  const counted = await runJob(url, {
    type: 'validate',
    source,
    target,
    validation: { levels: ['count'] },
  });
  if (counted.view.state === 'completed' && counted.view.result?.validation?.count?.target_rows === ROWS)
    return;
  process.stdout.write(`copying ${TABLE} to DuckDB through a dxa migrate…\n`);
  const copied = await runJob(url, {
    type: 'migrate',
    source,
    format: 'parquet',
    stage: { path: 'copy' },
    target: { ...target, mode: 'replace' },
  });
  if (copied.view.state !== 'completed')
    throw new Error(`DuckDB copy ${copied.view.state}: ${JSON.stringify(copied.view.error)}`);
}

async function timeValidate(url: string): Promise<ValidateRun> {
  const { seconds, view } = await runJob(url, {
    type: 'validate',
    source,
    target,
    validation: { levels: ['rows'], key: ['aid'] },
  });
  const v = view.result?.validation;
  if (view.state !== 'completed' || v?.rows?.status !== 'passed' || v.rows.source_rows !== ROWS)
    throw new Error(`validate ${view.state}: ${JSON.stringify(view.error ?? v)}`);
  const report = v.report?.json
    ? (JSON.parse(readFileSync(v.report.json, 'utf8')) as { timingsMs: Record<string, number> })
    : { timingsMs: {} };
  return { seconds, timingsMs: report.timingsMs };
}

async function main(): Promise<void> {
  const database = await ensurePgbench(SCALE);
  const out = resolve(REPO_ROOT, 'bench/out');
  mkdirSync(out, { recursive: true });
  const duckFile = join(out, `pgbench_s${SCALE}.duckdb`);
  const { dir, prefix, config } = benchStack(
    'benchv',
    database,
    `[connections.target.duck]\ntype = "duckdb"\npath = "${duckFile}"\n`,
  );
  const gateway = spawnDxa(['gateway', '--config', config, '--port', '0'], { env: { LOG_LEVEL: 'warn' } });
  const worker = spawnDxa(['worker', '--config', config, '--concurrency', '1'], {
    env: { LOG_LEVEL: 'warn' },
  });
  const sql = await referenceSql(database, `public.${TABLE}`);
  const refs: { seconds: number }[] = [];
  const dxa: ValidateRun[] = [];
  try {
    const url = (await gateway.waitFor(/gateway listening on (http:\/\/\S+)/))[1]!;
    await worker.waitFor(/worker \S+ serving/);
    await ensureDuckdbCopy(url);
    for (let i = 0; i < RUNS; i++) {
      const ref = await timeReference(database, sql);
      if (ref.rows !== ROWS) throw new Error(`reference hashed ${ref.rows} rows, expected ${ROWS}`);
      refs.push(ref);
      dxa.push(await timeValidate(url));
      process.stdout.write(
        `run ${i + 1}: reference ${ref.seconds.toFixed(2)} s, dxa ${dxa.at(-1)!.seconds.toFixed(2)} s\n`,
      );
    }
  } finally {
    await worker.stop();
    await gateway.stop();
    await cleanupRedisPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  }
  const result = {
    machine: machineLine(),
    scale: SCALE,
    rows: ROWS,
    runs: RUNS,
    reference: { sql, seconds: median(refs).seconds, all: refs.map((r) => r.seconds) },
    dxa: { ...median(dxa), all: dxa.map((r) => r.seconds) },
  };
  writeFileSync(join(out, 'validate.json'), JSON.stringify(result, null, 2));
  writeValidateDoc({
    title: `Rows-level validation, pgbench_accounts scale ${SCALE} (${ROWS.toLocaleString('en-US')} rows), PostgreSQL → DuckDB`,
    machine: result.machine,
    note: `median of ${RUNS} alternating runs; dxa is a \`validate\` job (levels ["rows"], key ["aid"]) timed submit → completed through a real gateway and worker process`,
    rows: ROWS,
    reference: result.reference.seconds,
    dxa: result.dxa,
    pairs: refs.map((r, i) => ({ reference: r.seconds, dxa: dxa[i]?.seconds ?? NaN })),
  });
  const ratio = result.dxa.seconds / result.reference.seconds;
  process.stdout.write(
    `reference ${result.reference.seconds.toFixed(2)} s, dxa ${result.dxa.seconds.toFixed(2)} s, ratio ${ratio.toFixed(2)}×\n`,
  );
}

await main();
