import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@dxa/testing';
import { createStack, type Stack } from './harness.js';

// With no stall allowed, the first lost lock fails the job; BullMQ does that without our processor.
const NO_STALLS = { env: { DXA_MAX_STALLED_COUNT: '0' } };

describe('a job whose worker keeps dying', () => {
  let db: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    db = await createTestDatabase('lost');
    await db.query(
      `CREATE TABLE public.big AS SELECT g AS id, 'row ' || g AS label FROM generate_series(1, 2000000) g`,
    );
    stack = createStack({ database: db.name });
    await stack.startGateway();
  });

  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  it('ends failed with WORKER_LOST instead of staying active forever', async () => {
    const doomed = await stack.startWorker('lost', NO_STALLS);
    const res = await stack.api('POST', '/v1/jobs', {
      type: 'migrate',
      affinity: 'lost',
      source: { connection: 'pg_main', table: 'public.big' },
      target: { connection: 'warehouse', table: 'big_lost', mode: 'replace' },
      options: { file_size_mb: 4 },
    });
    const id = res.body.id!;
    await stack.waitForState(id, ['active']);
    await doomed.proc.stop('SIGKILL');

    await stack.startWorker('lost', NO_STALLS);
    const view = await stack.waitForState(id, ['completed', 'failed', 'cancelled'], 60_000);
    expect(view.state).toBe('failed');
    expect(view.error?.code).toBe('WORKER_LOST');
    expect(view.error?.message).toMatch(/stopped or lost its lock/);
    expect(view.finished_at).toBeDefined();
  });
});
