import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@dxa/testing';
import { duckdbQuery, duckdbTables } from './duckdb-query.js';
import { createStack, type Stack } from './harness.js';

const BIG_ROWS = 3_000_000;

/** Files under a folder, recursively, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1));
}

describe('cancellation and worker crashes', () => {
  let db: TestDatabase;
  let stack: Stack;
  let sourceSum = '';

  beforeAll(async () => {
    db = await createTestDatabase('crash');
    await db.query(`CREATE TABLE public.big (id bigint PRIMARY KEY, v double precision, label text)`);
    await db.query(
      `INSERT INTO public.big SELECT g, g / 7.0, 'row ' || g FROM generate_series(1, ${BIG_ROWS}) g`,
    );
    await db.query(
      `CREATE TABLE public.small AS SELECT g AS id, 'old ' || g AS label FROM generate_series(1, 10) g`,
    );
    const r = await db.query<{ s: string }>('SELECT sum(id)::text AS s FROM public.big');
    sourceSum = r.rows[0]!.s;
    stack = createStack({ database: db.name });
    await stack.startGateway();
  });

  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  const migrate = (affinity: string, source: string, target: string, mode = 'replace') =>
    stack.api('POST', '/v1/jobs', {
      type: 'migrate',
      affinity,
      source: { connection: 'pg_main', table: source },
      stage: { connection: 'local', path: target },
      format: 'parquet',
      target: { connection: 'warehouse', table: target, mode },
      options: { file_size_mb: 4 },
    });

  async function waitForRows(id: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const { body } = await stack.api('GET', `/v1/jobs/${id}`);
      const progress = body.progress as { rows?: number } | undefined;
      if (body.state === 'active' && (progress?.rows ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} never showed progress`);
  }

  it('cancels a running migrate promptly and leaves the previous table and no complete-looking files', async () => {
    const worker = await stack.startWorker('cancel');
    const first = await migrate('cancel', 'public.small', 'keep_me');
    expect((await stack.waitForState(first.body.id!, ['completed', 'failed'])).state).toBe('completed');

    const res = await migrate('cancel', 'public.big', 'keep_me');
    const id = res.body.id!;
    await waitForRows(id);
    const del = await stack.api('DELETE', `/v1/jobs/${id}`);
    expect(del.status).toBe(202);
    const view = await stack.waitForState(id, ['cancelled', 'completed', 'failed'], 15_000);
    expect(view.state).toBe('cancelled');
    expect(view.error?.code).toBe('CANCELLED');

    // The replace never happened: the table still holds the 10 old rows.
    const rows = await duckdbQuery(
      stack.duckdbFile,
      'SELECT count(*)::INT AS n, min(label) AS l FROM keep_me',
    );
    expect(rows?.[0]).toEqual({ n: 10, l: 'old 1' });
    expect((await duckdbTables(stack.duckdbFile)).filter((t) => t.includes('__dxa_'))).toEqual([]);
    // Nothing of the cancelled job looks complete: no manifest, no partial files in its stage folder.
    const staged = filesUnder(join(stack.stageDir, 'keep_me')).filter((f) => f.includes(id));
    expect(staged.filter((f) => f.endsWith('_manifest.json'))).toEqual([]);
    expect(staged.filter((f) => f.endsWith('.partial'))).toEqual([]);
    await worker.proc.stop();
  });

  it('finishes the job of a kill -9ed worker on another worker with exactly the source rows', async () => {
    const doomed = await stack.startWorker('crash');
    const res = await migrate('crash', 'public.big', 'big_copy');
    const id = res.body.id!;
    await waitForRows(id);
    expect((await stack.api('GET', `/v1/jobs/${id}`)).body.worker).toBe(doomed.id);
    await doomed.proc.stop('SIGKILL');

    const survivor = await stack.startWorker('crash');
    const view = await stack.waitForState(id, ['completed', 'failed', 'cancelled']);
    expect(view.state, JSON.stringify(view.error)).toBe('completed');
    expect(view.worker).toBe(survivor.id);
    const rows = await duckdbQuery(
      stack.duckdbFile,
      'SELECT count(*)::BIGINT::VARCHAR AS n, count(DISTINCT id)::BIGINT::VARCHAR AS d, sum(id)::VARCHAR AS s FROM big_copy',
    );
    expect(rows?.[0]).toEqual({ n: String(BIG_ROWS), d: String(BIG_ROWS), s: sourceSum });
  });

  it('on SIGTERM stops taking jobs, hands the running one back by its deadline, and exits cleanly', async () => {
    const draining = await stack.startWorker('drain', { env: { DXA_SHUTDOWN_TIMEOUT_SECONDS: '0.5' } });
    const res = await migrate('drain', 'public.big', 'big_drained');
    const id = res.body.id!;
    await waitForRows(id);
    await draining.proc.stop('SIGTERM');
    expect((await draining.proc.exited).code).toBe(0);
    const handedBack = await stack.api('GET', `/v1/jobs/${id}`);
    expect(handedBack.body.state).toBe('queued');

    const next = await stack.startWorker('drain');
    const view = await stack.waitForState(id, ['completed', 'failed', 'cancelled']);
    expect(view.state, JSON.stringify(view.error)).toBe('completed');
    expect(view.worker).toBe(next.id);
    const rows = await duckdbQuery(
      stack.duckdbFile,
      'SELECT count(*)::BIGINT::VARCHAR AS n, sum(id)::VARCHAR AS s FROM big_drained',
    );
    expect(rows?.[0]).toEqual({ n: String(BIG_ROWS), s: sourceSum });
  });
});
