import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '@dxa/contracts';
import {
  PG_HOST,
  PG_PORT,
  PG_USER,
  createTestDatabase,
  duckdbTableChecksum,
  pgTableChecksum,
  type TestDatabase,
} from '@dxa/testing';
import { createStack, type Stack } from './harness.js';

type Partition = NonNullable<JobView['partitions']>[number];

const EVENTS_ROWS = 1_500_000;
const BIG_ROWS = 3_000_000;

describe('one table split across workers', () => {
  let db: TestDatabase;
  let stack: Stack;
  const pgConn = () => ({ host: PG_HOST, port: PG_PORT, user: PG_USER, database: db.name });

  beforeAll(async () => {
    db = await createTestDatabase('partitions');
    await db.query(`CREATE TABLE public.events (id bigint PRIMARY KEY, n integer NOT NULL, label text)`);
    await db.query(
      `INSERT INTO public.events SELECT g, g % 1000, 'event ' || g FROM generate_series(1, ${EVENTS_ROWS}) g`,
    );
    await db.query(`CREATE TABLE public.big (id bigint PRIMARY KEY, v double precision, label text)`);
    await db.query(
      `INSERT INTO public.big SELECT g, g / 7.0, 'row ' || g FROM generate_series(1, ${BIG_ROWS}) g`,
    );
    await db.query('ANALYZE public.events; ANALYZE public.big');
    stack = createStack({ database: db.name });
    await stack.startGateway();
  });

  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  /** `key` makes the slices key ranges on it (page ranges without one); `where` filters the source. */
  const migrate = (
    affinity: string,
    table: string,
    target: string,
    partitions: number,
    source: { key?: string[]; where?: string } = {},
  ) =>
    stack.api('POST', '/v1/jobs', {
      type: 'migrate',
      affinity,
      source: { connection: 'pg_main', table, ...source },
      stage: { connection: 'local', path: target },
      format: 'parquet',
      target: { connection: 'warehouse', table: target, mode: 'replace' },
      options: { partitions, file_size_mb: 8 },
    });

  /** Polls the job view until `ready` holds for its partitions. */
  async function waitForPartitions(id: string, ready: (ps: Partition[]) => boolean): Promise<Partition[]> {
    for (let i = 0; i < 1200; i++) {
      const view = (await stack.api('GET', `/v1/jobs/${id}`)).body as unknown as JobView;
      if (view.partitions && ready(view.partitions)) return view.partitions;
      if (['completed', 'failed', 'cancelled'].includes(view.state))
        throw new Error(`job ended ${view.state} first: ${JSON.stringify(view.error)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`partitions of ${id} never reached the expected state`);
  }

  it('reads every partition in one snapshot while the source is being written to', async () => {
    const before = await pgTableChecksum(pgConn(), 'public.events');
    const workers = [
      await stack.startWorker('snap', { concurrency: 1, env: { DXA_PARTITION_CONCURRENCY: '1' } }),
      await stack.startWorker('snap', { concurrency: 1, env: { DXA_PARTITION_CONCURRENCY: '1' } }),
    ];
    const id = (await migrate('snap', 'public.events', 'events_copy', 8)).body.id!;
    await waitForPartitions(id, (ps) => ps.some((p) => p.state === 'active'));

    // Writes from another session until the job is done: updates, deletes and inserts all over the key range.
    const writer = new pg.Client(pgConn());
    await writer.connect();
    let firstWriteAt = 0;
    let writes = 0;
    let done = false;
    const finished = stack.waitForState(id, ['completed', 'failed', 'cancelled']).finally(() => {
      done = true;
    });
    while (!done) {
      const key = 1 + Math.floor(Math.random() * EVENTS_ROWS);
      await writer.query(
        `WITH u AS (UPDATE public.events SET label = 'changed', n = n + 1 WHERE id = $1),
              d AS (DELETE FROM public.events WHERE id = $2)
         INSERT INTO public.events VALUES ($3, 7, 'inserted')`,
        [key, ((key + EVENTS_ROWS / 2) % EVENTS_ROWS) + 1, EVENTS_ROWS + 1 + writes],
      );
      writes += 1;
      if (firstWriteAt === 0) firstWriteAt = Date.now();
    }
    await writer.end();
    const view = await finished;
    expect(view.state, JSON.stringify(view.error)).toBe('completed');

    const partitions = view.partitions ?? [];
    expect(partitions).toHaveLength(8);
    expect(partitions.every((p) => p.state === 'completed')).toBe(true);
    // Both worker processes took partitions, and some started only after the writes had begun.
    expect(new Set(partitions.map((p) => p.worker))).toEqual(new Set(workers.map((w) => w.id)));
    expect(partitions.some((p) => Date.parse(p.started_at ?? '') > firstWriteAt)).toBe(true);
    expect(writes).toBeGreaterThan(10);
    expect(view.result?.extract?.partitions).toMatchObject({
      count: 8,
      method: 'pages',
      consistency: 'snapshot',
    });

    // The copy is the table as of the snapshot, which the writes have since moved away from.
    const target = await duckdbTableChecksum(stack.duckdbFile, 'events_copy', before.columns);
    expect(target.rows).toBe(before.rows);
    expect(target.sum).toBe(before.sum);
    const after = await pgTableChecksum(pgConn(), 'public.events');
    expect(after.sum).not.toBe(before.sum);
    for (const w of workers) await w.proc.stop();
  });

  it('redoes only the partition of a killed worker, on another worker', async () => {
    // Info level: every read of a slice logs "partition started", which the test counts.
    const opts = { concurrency: 1, env: { DXA_PARTITION_CONCURRENCY: '1', LOG_LEVEL: 'info' } };
    const first = await stack.startWorker('kill', opts);
    const second = await stack.startWorker('kill', opts);
    // Every slice pauses a few times (the filter keeps every row), so there is a slice to kill mid-read.
    const slow = 'id % 50000 <> 0 OR pg_sleep(0.3) IS NOT NULL';
    const id = (await migrate('kill', 'public.big', 'big_copy', 6, { key: ['id'], where: slow })).body.id!;
    const coordinator = await (async () => {
      for (;;) {
        const view = (await stack.api('GET', `/v1/jobs/${id}`)).body as unknown as JobView;
        if (view.worker) return view.worker;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const [survivor, doomed] = coordinator === first.id ? [first, second] : [second, first];
    // A partition the other worker is in the middle of, once another one has finished.
    const running = await waitForPartitions(
      id,
      (ps) =>
        ps.some((p) => p.state === 'completed') &&
        ps.some((p) => p.worker === doomed.id && p.state === 'active' && p.rows > 0),
    );
    const victim = running.find((p) => p.worker === doomed.id && p.state === 'active')!;
    const stageDir = join(stack.stageDir, 'big_copy', id);
    await doomed.proc.stop('SIGKILL');
    // Files of partitions already finished, with their modification times.
    const finishedBefore = running.filter((p) => p.state === 'completed').map((p) => p.index);
    expect(finishedBefore.length).toBeGreaterThan(0);
    const stamps = new Map<string, number>();
    for (const name of readdirSync(stageDir))
      if (finishedBefore.some((i) => name.startsWith(`g1-p${String(i).padStart(4, '0')}-`)))
        stamps.set(name, statSync(join(stageDir, name)).mtimeMs);

    const view = await stack.waitForState(id, ['completed', 'failed', 'cancelled']);
    expect(view.state, JSON.stringify(view.error)).toBe('completed');
    const partitions = view.partitions ?? [];
    expect(partitions).toHaveLength(6);
    const redone = partitions.find((p) => p.index === victim.index)!;
    expect(redone.attempts).toBe(2);
    expect(redone.worker).toBe(survivor.id);
    expect(partitions.filter((p) => p.index !== victim.index).every((p) => p.attempts === 1)).toBe(true);
    expect(view.result?.extract?.partitions).toMatchObject({ method: 'key', reread: [victim.index] });
    // Source reads: one per partition, plus the one redone (every read logs "partition started").
    const reads = [first, second].map((w) => w.proc.output().match(/partition started/g)?.length ?? 0);
    expect(reads[0]! + reads[1]!).toBe(7);
    // Finished partitions' files were neither rewritten nor removed.
    expect(stamps.size).toBeGreaterThan(0);
    for (const [name, mtime] of stamps) expect(statSync(join(stageDir, name)).mtimeMs).toBe(mtime);

    const source = await pgTableChecksum(pgConn(), 'public.big');
    const target = await duckdbTableChecksum(stack.duckdbFile, 'big_copy', source.columns);
    expect(target.rows).toBe(BIG_ROWS);
    expect(target.sum).toBe(source.sum);
    await survivor.proc.stop();
  });

  it('plans again on a new snapshot when the coordinating worker dies', async () => {
    const opts = { concurrency: 1, env: { DXA_PARTITION_CONCURRENCY: '1' } };
    const first = await stack.startWorker('coord', opts);
    const second = await stack.startWorker('coord', opts);
    const id = (await migrate('coord', 'public.big', 'big_again', 6)).body.id!;
    await waitForPartitions(id, (ps) => ps.some((p) => p.state === 'completed'));
    const coordinator = ((await stack.api('GET', `/v1/jobs/${id}`)).body as unknown as JobView).worker;
    const [doomed, survivor] = coordinator === first.id ? [first, second] : [second, first];
    await doomed.proc.stop('SIGKILL');

    const view = await stack.waitForState(id, ['completed', 'failed', 'cancelled']);
    expect(view.state, JSON.stringify(view.error)).toBe('completed');
    expect(view.worker).toBe(survivor.id);
    // The whole table was read again under the second planning's snapshot; nothing of the first is kept.
    expect(view.partitions?.every((p) => p.generation === 2 && p.state === 'completed')).toBe(true);
    expect(view.result?.extract?.partitions?.consistency).toBe('snapshot');
    const staged = readdirSync(join(stack.stageDir, 'big_again', id)).filter((n) => n !== '_manifest.json');
    expect(staged.length).toBeGreaterThan(0);
    expect(staged.every((n) => n.startsWith('g2-'))).toBe(true);
    const source = await pgTableChecksum(pgConn(), 'public.big');
    const target = await duckdbTableChecksum(stack.duckdbFile, 'big_again', source.columns);
    expect(target.rows).toBe(BIG_ROWS);
    expect(target.sum).toBe(source.sum);
    await survivor.proc.stop();
  });
});
