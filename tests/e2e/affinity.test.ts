import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PG_HOST,
  PG_PORT,
  PG_USER,
  createTestDatabase,
  duckdbTableChecksum,
  pgTableChecksum,
  type TestDatabase,
} from '@dxa/testing';
import { createOrdersTable } from './fixtures.js';
import { createStack, type Stack } from './harness.js';

describe('gateway and two workers with different labels, as separate processes', () => {
  let db: TestDatabase;
  let stack: Stack;
  const workers: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase('aff');
    await createOrdersTable(db, 'public.orders', 20_000);
    await createOrdersTable(db, 'public.returns', 7_500);
    stack = createStack({ database: db.name });
    await stack.startGateway();
    for (const label of ['blue', 'green']) workers[label] = (await stack.startWorker(label)).id;
  });

  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  it('runs each job on a worker of its label and the DuckDB tables equal the source', async () => {
    const jobs = [
      { label: 'blue', source: 'public.orders', target: 'orders_blue', format: 'parquet' },
      { label: 'green', source: 'public.returns', target: 'returns_green', format: 'csv' },
      { label: 'blue', source: 'public.returns', target: 'returns_blue', format: 'csv' },
      { label: 'green', source: 'public.orders', target: 'orders_green', format: 'parquet' },
    ];
    const ids: string[] = [];
    for (const j of jobs) {
      const res = await stack.api('POST', '/v1/jobs', {
        type: 'migrate',
        affinity: j.label,
        source: { connection: 'pg_main', table: j.source },
        stage: { connection: 'local', path: j.target },
        format: j.format,
        target: { connection: 'warehouse', table: j.target, mode: 'replace' },
        options: { file_size_mb: 0.25 },
      });
      expect(res.status).toBe(202);
      expect(res.body.affinity).toBe(j.label);
      ids.push(res.body.id!);
    }
    const views = [];
    for (const id of ids) views.push(await stack.waitForState(id, ['completed', 'failed', 'cancelled']));
    for (const [i, j] of jobs.entries()) {
      const view = views[i]!;
      expect(view.state, JSON.stringify(view.error)).toBe('completed');
      expect(view.worker).toBe(workers[j.label]);
      expect(view.result?.validation?.status).toBe('passed');
      expect(view.result?.extract?.files.length).toBeGreaterThan(1);
      const source = await pgTableChecksum(
        { host: PG_HOST, port: PG_PORT, user: PG_USER, database: db.name },
        j.source,
      );
      const target = await duckdbTableChecksum(stack.duckdbFile, j.target, source.columns);
      expect(target.rows).toBe(source.rows);
      expect(target.sum).toBe(source.sum);
    }
  });

  it('keeps a job whose label no live worker serves queued, and says what it waits for', async () => {
    const res = await stack.api('POST', '/v1/jobs', {
      type: 'extract',
      affinity: 'purple',
      source: { connection: 'pg_main', table: 'public.orders' },
    });
    expect(res.status).toBe(202);
    await new Promise((r) => setTimeout(r, 1500));
    const view = await stack.api('GET', `/v1/jobs/${res.body.id}`);
    expect(view.body.state).toBe('queued');
    expect(view.body.waiting_for).toBe('worker with affinity purple');
    const workersRes = await stack.api('GET', '/v1/workers');
    const listed = JSON.stringify(workersRes.body);
    expect(listed).toContain(workers.blue);
    expect(listed).toContain(workers.green);
  });
});
