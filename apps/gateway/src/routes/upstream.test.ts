import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import request from 'supertest';
import type { QueueJobData } from '@dxa/queue';
import { testGateway, TEST_REDIS_URL, type TestGateway, errorOf, bodyOf } from '../test-support.js';

let gw: TestGateway;

beforeAll(async () => {
  gw = await testGateway('upstream');
});
afterAll(async () => {
  await gw.close();
});

const task = {
  id: 17,
  engine: 'pg_main',
  database: 'app',
  schema: 'public',
  statement: 'SELECT * FROM public.orders',
  source_type: 'jdbc',
  upload_type: 'local',
  upload_path: 'exports/orders/',
};

describe('upstream routes', () => {
  it('POST /tasks turns a task into an extract job', async () => {
    const res = await request(gw.app).post('/tasks').send(task);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Task added successfully', id_task: expect.any(String) as string });
    const view = await request(gw.app).get(`/v1/jobs/${String(bodyOf(res).id_task)}`);
    expect(view.body).toMatchObject({
      type: 'extract',
      state: 'queued',
      spec: {
        source: { connection: 'pg_main', query: task.statement },
        stage: { connection: 'local', path: 'exports/orders/' },
      },
    });
    expect((await request(gw.app).get('/get_tasks_count')).body).toEqual({ tasks_count: 1 });
  });

  it('rejects tasks like jobs: unknown engine, write statements, missing fields', async () => {
    const unknown = await request(gw.app)
      .post('/tasks')
      .send({ ...task, engine: 'oracle' });
    expect(unknown.status).toBe(422);
    expect(errorOf(unknown).code).toBe('UNKNOWN_CONNECTION');
    const write = await request(gw.app)
      .post('/tasks')
      .send({ ...task, statement: 'DROP TABLE orders' });
    expect(write.status).toBe(422);
    expect(errorOf(write).details[0]?.path).toBe('source.query');
    const missing = await request(gw.app).post('/tasks').send({ id: 1 });
    expect(missing.status).toBe(422);
    expect(errorOf(missing).details.map((d) => d.path)).toEqual(['engine', 'statement']);
    expect((await request(gw.app).get('/get_tasks_count')).body).toEqual({ tasks_count: 1 });
  });

  it('/stop pauses and /handle_tasks resumes the known queues', async () => {
    expect((await request(gw.app).get('/get_handling_tasks_status')).body).toEqual({ handling_tasks: true });
    expect((await request(gw.app).get('/stop')).body).toEqual({ message: 'Task manager stopped' });
    expect((await request(gw.app).get('/get_handling_tasks_status')).body).toEqual({ handling_tasks: false });
    const queue = await gw.deps.queues.queueFor('default');
    expect(await queue.isPaused()).toBe(true);
    expect((await request(gw.app).post('/handle_tasks')).body).toEqual({ message: 'Task manager started' });
    expect((await request(gw.app).get('/get_handling_tasks_status')).body).toEqual({ handling_tasks: true });
    expect(await queue.isPaused()).toBe(false);
  });

  it('/tasks_processed counts completed jobs', async () => {
    expect((await request(gw.app).get('/tasks_processed')).body).toEqual({ tasks_processed: 0 });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const worker = new Worker<QueueJobData>('exchange.default', () => Promise.resolve('ok'), {
      connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null },
      prefix: gw.prefix,
    });
    worker.on('completed', () => done());
    await finished;
    await worker.close();
    expect((await request(gw.app).get('/tasks_processed')).body).toEqual({ tasks_processed: 1 });
    expect((await request(gw.app).get('/get_tasks_count')).body).toEqual({ tasks_count: 0 });
  });
});
