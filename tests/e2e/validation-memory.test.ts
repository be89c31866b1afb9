import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '@dxa/contracts';
import { createTestDatabase, type TestDatabase } from '@dxa/testing';
import { createOrdersTable } from './fixtures.js';
import { createStack, type Stack } from './harness.js';

const ROWS = 3_000_000;

/** Peak resident memory of a process so far, in MiB (Linux). */
function peakRssMib(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

function expectPassedWithoutDifferences(view: JobView): void {
  expect(view.state, JSON.stringify(view.error)).toBe('completed');
  expect(view.attempts).toBe(1);
  const validation = view.result?.validation;
  expect(validation?.status).toBe('passed');
  expect(validation?.schema?.differences).toEqual([]);
  expect(validation?.metrics?.differences).toEqual([]);
  expect(validation?.rows?.differences).toEqual([]);
  expect(validation?.rows?.source_rows).toBe(ROWS);
  expect(validation?.rows?.target_rows).toBe(ROWS);
}

describe('a 3M-row table of mixed types validates in the default DuckDB target (no memory settings)', () => {
  let source: TestDatabase;
  let stack: Stack;
  let workerPid = 0;

  beforeAll(async () => {
    source = await createTestDatabase('vmem');
    // 13 columns: jsonb, uuid, bytea, text, numeric, timestamptz and more, NULLs in several.
    await createOrdersTable(source, 'public.orders', ROWS);
    stack = createStack({ database: source.name });
    await stack.startGateway();
    const worker = await stack.startWorker('default', { concurrency: 1 });
    workerPid = worker.proc.child.pid ?? 0;
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await source?.drop();
  });

  it('migrates with validation at schema, metrics and rows and passes on the first attempt', async () => {
    const started = Date.now();
    const res = await stack.api('POST', '/v1/jobs', {
      type: 'migrate',
      source: { connection: 'pg_main', table: 'public.orders' },
      target: { connection: 'warehouse', table: 'orders', mode: 'replace' },
      validation: { levels: ['count', 'schema', 'metrics', 'rows'] },
    });
    expect(res.status).toBe(202);
    const view = await stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled'], 600_000);
    expectPassedWithoutDifferences(view);
    console.info(
      `3M-row migrate with validation: ${Math.round((Date.now() - started) / 1000)} s, ` +
        `worker peak RSS ${peakRssMib(workerPid)} MiB`,
    );
  }, 600_000);
});
