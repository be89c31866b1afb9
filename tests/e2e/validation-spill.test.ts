import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@dxa/testing';
import { createOrdersTable } from './fixtures.js';
import { createStack, type Stack } from './harness.js';

const ROWS = 200_000;

describe('validation into a DuckDB target with little memory, through gateway and worker processes', () => {
  let source: TestDatabase;
  let stack: Stack;
  // The DuckDB file both targets below name, in a folder of its own.
  const tightDir = mkdtempSync(join(tmpdir(), 'dxa-e2e-tight-'));
  const tightFile = join(tightDir, 'tight.duckdb');

  beforeAll(async () => {
    source = await createTestDatabase('vspill');
    await createOrdersTable(source, 'public.orders', ROWS);
    stack = createStack({
      database: source.name,
      extraToml: `
[connections.target.tight]
type = "duckdb"
path = "${tightFile}"
memory_limit = "32MB"

[connections.target.starved]
type = "duckdb"
path = "${tightFile}"
memory_limit = "1MB"
`,
    });
    await stack.startGateway();
    await stack.startWorker('default');
  });

  afterAll(async () => {
    await stack?.stop();
    await source?.drop();
    rmSync(tightDir, { recursive: true, force: true });
  });

  it('validates 200k rows at every level within a 32 MB memory_limit, spilling to disk', async () => {
    const res = await stack.api('POST', '/v1/jobs', {
      type: 'migrate',
      source: { connection: 'pg_main', table: 'public.orders' },
      target: { connection: 'tight', table: 'orders', mode: 'replace' },
      validation: { levels: ['count', 'schema', 'metrics', 'rows'] },
    });
    expect(res.status).toBe(202);
    const view = await stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled']);
    expect(view.state, JSON.stringify(view.error)).toBe('completed');
    expect(view.attempts).toBe(1);
    const validation = view.result?.validation;
    expect(validation?.status).toBe('passed');
    expect(validation?.metrics?.differences).toEqual([]);
    expect(validation?.rows?.differences).toEqual([]);
    expect(validation?.rows?.target_rows).toBe(ROWS);
    // Each session's spill folder is gone once it closed.
    expect(readdirSync(tightDir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('ends with VALIDATION_ERROR, not LOAD_ERROR, when DuckDB cannot run the validation, naming the setting', async () => {
    const res = await stack.api('POST', '/v1/jobs', {
      type: 'validate',
      source: { connection: 'pg_main', table: 'public.orders' },
      target: { connection: 'starved', table: 'orders' },
      validation: { levels: ['count', 'metrics'] },
    });
    expect(res.status).toBe(202);
    const view = await stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled']);
    expect(view.state).toBe('failed');
    expect(view.error?.code).toBe('VALIDATION_ERROR');
    expect(view.error?.step).toBe('validate');
    expect(view.error?.message).toMatch(/^step validate: /);
    expect(view.error?.message).toContain('raise memory_limit on the DuckDB target connection');
    // Out of memory is terminal: a retry would have no more memory.
    expect(view.attempts).toBe(1);
  });
});
