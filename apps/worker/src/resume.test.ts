import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from '@dxa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle } from './index.js';
import { createHarness, type Harness } from './test-support/harness.js';

const LABEL = 'wk-resume';
const ROWS = 20_000;

let h: Harness;
let target: TestDatabase;
let proxy: TcpProxy;
let worker: WorkerHandle;

beforeAll(async () => {
  target = await createTestDatabase('resume_dst');
  // The target is down from the start: every load fails until the proxy is restarted.
  proxy = await startTcpProxy({ targetPort: 5432 });
  await proxy.stop();
  h = await createHarness(LABEL, {
    targets: {
      behind_proxy: {
        type: 'postgresql',
        host: '127.0.0.1',
        port: proxy.port,
        username: 'postgres',
        database: target.name,
      },
    },
  });
  await h.db.query(
    `CREATE TABLE src AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, ${ROWS}) g`,
  );
  worker = await startWorker({
    config: h.config,
    logger: h.logger,
    healthPort: 0,
    tuning: { heartbeatMs: 200 },
  });
});

afterAll(async () => {
  await worker?.close(5_000);
  await proxy?.stop();
  await h?.dispose();
  await target?.drop();
});

describe('a retried migrate', () => {
  it('extracts again when a staged part no longer matches its manifest, then re-uses the new parts', async () => {
    const id = await h.submit({
      type: 'migrate',
      affinity: LABEL,
      source: { connection: 'pg', table: 'public.src' },
      format: 'csv',
      target: { connection: 'behind_proxy', table: 'public.copy', mode: 'replace' },
      options: { file_size_mb: 0.05 },
    });
    const first = await h.waitFor(
      id,
      (r) => r.state === 'queued' && r.attempts === 1 && r.error !== undefined,
    );
    expect(first.error).toMatchObject({ code: 'CONNECTION_FAILED', step: 'load' });
    expect(first.error?.message).toMatch(
      /^step load: target connection "behind_proxy" \(postgresql\): loading part-00001\.csv\.gz into public\.copy: connect ECONNREFUSED/,
    );
    expect(first.steps?.stage).toMatchObject({ status: 'completed', attempt: 1, rows: ROWS });
    expect(first.steps?.load).toBeUndefined();

    // Damage one staged part before the retry: it must not be loaded, and the source is read again.
    const folder = path.join(h.stageDir, id);
    const part = readdirSync(folder).find((f) => f.startsWith('part-00002'));
    expect(part).toBeDefined();
    writeFileSync(path.join(folder, part ?? ''), 'not what the manifest says');

    const second = await h.waitFor(
      id,
      (r) => r.state === 'queued' && r.attempts === 2 && r.error !== undefined,
    );
    expect(second.steps?.extract?.attempt).toBe(2);
    expect(second.steps?.stage?.attempt).toBe(2);

    await proxy.restart();
    const done = await h.waitFor(id, (r) => r.state === 'completed' || r.state === 'failed', 30_000);
    expect(done.state, JSON.stringify(done.error)).toBe('completed');
    expect(done.attempts).toBe(3);
    // Attempt 3 loaded what attempt 2 staged, without extracting again.
    expect(done.steps).toMatchObject({
      extract: { attempt: 2 },
      stage: { attempt: 2, rows: ROWS },
      load: { attempt: 3, rows: ROWS, table: 'public.copy', files: second.steps?.stage?.files },
      validate: { attempt: 3, validation: 'passed' },
    });
    const counted = await target.query<{ n: string; d: string }>(
      'SELECT count(*)::text AS n, count(DISTINCT id)::text AS d FROM public.copy',
    );
    expect(counted.rows[0]).toEqual({ n: String(ROWS), d: String(ROWS) });
  });
});
