import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import request from 'supertest';
import type { Progress } from '@dxa/contracts';
import type { QueueJobData } from '@dxa/queue';
import {
  extractBody,
  testGateway,
  TEST_REDIS_URL,
  type TestGateway,
  errorOf,
  bodyOf,
} from '../test-support.js';

let gw: TestGateway;
let server: Server;
let base: string;

beforeAll(async () => {
  gw = await testGateway('events');
  server = createServer(gw.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await gw.close();
  await new Promise((resolve) => server.close(resolve));
});

type Ev = { event: string; data: unknown };

/** Reads SSE events as they arrive; `next(name)` waits for the next event of that name. */
async function openEvents(id: string) {
  const res = await fetch(`${base}/v1/jobs/${id}/events`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: Ev[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  let comments = 0;
  const pump = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let sep: number;
      while ((sep = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, sep);
        buffer = buffer.slice(sep + 2);
        if (block.startsWith(':')) comments += 1;
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) as unknown });
        waiters.splice(0).forEach((w) => w());
      }
    }
    ended = true;
    waiters.splice(0).forEach((w) => w());
  })();
  const until = async (done: () => boolean): Promise<void> => {
    while (!done() && !ended) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return {
    events,
    comments: () => comments,
    next: (name: string) => until(() => events.some((e) => e.event === name)),
    keepAlive: () => until(() => comments > 0),
    end: async () => {
      await pump;
    },
  };
}

const progress: Progress = {
  phase: 'extract',
  rows: 500,
  bytes: 4096,
  files: 1,
  rows_per_second: 250,
  total_rows_estimate: 1000,
};

describe('GET /v1/jobs/:id/events', () => {
  it('streams state, progress and a terminal completed event, then ends', async () => {
    const created = await request(gw.app)
      .post('/v1/jobs')
      .send(extractBody({ affinity: 'sse' }));
    const id = bodyOf(created).id;
    const stream = await openEvents(id);
    await stream.next('state');

    let releaseCompletion!: () => void;
    const completionGate = new Promise<void>((resolve) => (releaseCompletion = resolve));
    const worker = new Worker<QueueJobData>(
      'exchange.sse',
      async (job) => {
        await gw.deps.store.update(job.id!, {
          state: 'active',
          worker: 'test-worker',
          started_at: new Date().toISOString(),
          attempts: 1,
        });
        await job.updateProgress(progress);
        await completionGate; // complete only after the client saw the progress event
        await gw.deps.store.update(job.id!, { state: 'completed', finished_at: new Date().toISOString() });
        return { ok: true };
      },
      { connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null }, prefix: gw.prefix },
    );
    await stream.next('progress');
    releaseCompletion();
    await stream.end();
    await worker.close();

    const names = stream.events.map((e) => e.event);
    expect(names[0]).toBe('state');
    expect(stream.events[0]!.data).toMatchObject({ id, state: 'queued' });
    expect(stream.events.find((e) => e.event === 'progress')!.data).toEqual(progress);
    expect(names.at(-1)).toBe('completed');
    expect(stream.events.at(-1)!.data).toMatchObject({ id, state: 'completed', worker: 'test-worker' });
    expect(names.filter((n) => ['completed', 'failed', 'cancelled'].includes(n))).toHaveLength(1);
  });

  it('sees a cancel by polling the record and ends with a cancelled event', async () => {
    const created = await request(gw.app)
      .post('/v1/jobs')
      .send(extractBody({ affinity: 'sse-cancel' }));
    const id = bodyOf(created).id;
    const stream = await openEvents(id);
    await stream.next('state');
    await stream.keepAlive();
    expect((await request(gw.app).delete(`/v1/jobs/${id}`)).status).toBe(200);
    await stream.end();
    expect(stream.events.at(-1)).toMatchObject({ event: 'cancelled', data: { id, state: 'cancelled' } });
    expect(stream.comments()).toBeGreaterThan(0);
  });

  it('ends at once for a finished job', async () => {
    const created = await request(gw.app)
      .post('/v1/jobs')
      .send(extractBody({ affinity: 'sse-done' }));
    const id = bodyOf(created).id;
    await gw.deps.store.update(id, { state: 'failed', error: { code: 'BAD_SQL', message: 'nope' } });
    const res = await request(gw.app)
      .get(`/v1/jobs/${id}/events`)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      });
    const body = res.body as string;
    expect(body).toContain('event: state');
    expect(body).toContain('event: failed');
  });

  it('404 for an unknown job', async () => {
    const res = await request(gw.app).get('/v1/jobs/0000000000none/events');
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('NOT_FOUND');
  });

  it('cancelling an active job asks the worker over the cancel bus and answers 202', async () => {
    const created = await request(gw.app)
      .post('/v1/jobs')
      .send(extractBody({ affinity: 'sse-active' }));
    const id = bodyOf(created).id;
    const heard: string[] = [];
    const unsubscribe = await gw.deps.cancelBus.subscribe((jobId) => heard.push(jobId));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const worker = new Worker<QueueJobData>(
      'exchange.sse-active',
      async (job) => {
        await gw.deps.store.update(job.id!, { state: 'active', worker: 'test-worker' });
        started();
        await gate;
        await gw.deps.store.update(job.id!, { state: 'cancelled', finished_at: new Date().toISOString() });
      },
      { connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null }, prefix: gw.prefix },
    );
    await running;
    const res = await request(gw.app).delete(`/v1/jobs/${id}`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id, state: 'active' });
    expect((await gw.deps.store.get(id))?.cancel_requested).toBe(true);
    while (heard.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(heard).toEqual([id]);
    release();
    await worker.close();
    await unsubscribe();
  });
});
