import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { WorkerInfo } from '@dxa/contracts';
import { extractBody, keysUnder, testGateway, type TestGateway, errorOf, bodyOf } from '../test-support.js';

let gw: TestGateway;

beforeAll(async () => {
  gw = await testGateway('jobs');
});
afterAll(async () => {
  await gw.close();
});

/** No record, no index entry and no BullMQ key may exist after a rejected request. */
async function expectNothingStored(): Promise<void> {
  expect(await keysUnder(gw.redis, `${gw.prefix}:job:*`)).toEqual([]);
  expect(await gw.redis.zcard(`${gw.prefix}:jobs`)).toBe(0);
  expect(await keysUnder(gw.redis, `${gw.prefix}:exchange.*`)).toEqual([]);
}

const worker = (connections: string[]): WorkerInfo => ({
  id: 'w-remote',
  host: 'h',
  pid: 1,
  affinities: ['remote'],
  concurrency: 1,
  active_jobs: [],
  connections,
  started_at: new Date().toISOString(),
  last_heartbeat: new Date().toISOString(),
  version: '0.1.0',
  draining: false,
});

describe('POST /v1/jobs rejections leave nothing behind', () => {
  it('malformed JSON → 400 INVALID_JSON', async () => {
    const res = await request(gw.app)
      .post('/v1/jobs')
      .set('content-type', 'application/json')
      .send('{"type": "extract",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'INVALID_JSON', message: expect.any(String) as string, details: [] },
    });
    await expectNothingStored();
  });

  it('a body over 1 MiB → 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify(extractBody({ name: 'x'.repeat(1024 * 1024) }));
    const res = await request(gw.app).post('/v1/jobs').set('content-type', 'application/json').send(body);
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe('PAYLOAD_TOO_LARGE');
    await expectNothingStored();
  });

  it.each([['[1, 2]'], ['42'], ['"extract"'], ['null']])(
    'a non-object body %s → 400 BAD_REQUEST',
    async (body) => {
      const res = await request(gw.app).post('/v1/jobs').set('content-type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('BAD_REQUEST');
      await expectNothingStored();
    },
  );

  it('an unknown type → 422 UNKNOWN_JOB_TYPE naming it and the valid ones', async () => {
    const res = await request(gw.app)
      .post('/v1/jobs')
      .send(extractBody({ type: 'teleport' }));
    expect(res.status).toBe(422);
    expect(errorOf(res).code).toBe('UNKNOWN_JOB_TYPE');
    expect(errorOf(res).message).toContain('"teleport"');
    expect(errorOf(res).message).toContain('extract, load, migrate, validate');
    await expectNothingStored();
  });

  it('a schema failure → 422 VALIDATION_FAILED with dotted paths', async () => {
    const res = await request(gw.app)
      .post('/v1/jobs')
      .send({ type: 'extract', source: { connection: 'pg_main', query: 'DELETE FROM orders' }, bogus: 1 });
    expect(res.status).toBe(422);
    expect(errorOf(res).code).toBe('VALIDATION_FAILED');
    expect(errorOf(res).details).toContainEqual({
      path: 'source.query',
      message: expect.stringContaining('SELECT') as string,
    });
    expect(errorOf(res).details).toContainEqual({ path: 'bogus', message: 'unknown key' });
    await expectNothingStored();
  });

  it('an unknown connection → 422 UNKNOWN_CONNECTION naming it', async () => {
    const res = await request(gw.app)
      .post('/v1/jobs')
      .send({
        type: 'migrate',
        source: { connection: 'nope_pg', table: 'public.t' },
        target: { connection: 'warehouse', table: 't' },
      });
    expect(res.status).toBe(422);
    expect(errorOf(res).code).toBe('UNKNOWN_CONNECTION');
    expect(errorOf(res).message).toContain('"nope_pg"');
    expect(errorOf(res).details).toEqual([
      { path: 'source.connection', message: expect.stringContaining('nope_pg') as string },
    ]);
    await expectNothingStored();
  });

  it('a load naming an unknown extract job → 422 VALIDATION_FAILED on from_job', async () => {
    const res = await request(gw.app)
      .post('/v1/jobs')
      .send({ type: 'load', from_job: 'no-such-job', target: { connection: 'warehouse', table: 't' } });
    expect(res.status).toBe(422);
    expect(errorOf(res).code).toBe('VALIDATION_FAILED');
    expect(errorOf(res).details).toEqual([{ path: 'from_job', message: 'no job no-such-job' }]);
    await expectNothingStored();
  });

  it('a connection configured under another role → 422 UNKNOWN_CONNECTION', async () => {
    const res = await request(gw.app)
      .post('/v1/jobs')
      .send({ type: 'extract', source: { connection: 'warehouse', table: 'public.t' } });
    expect(res.status).toBe(422);
    expect(errorOf(res).code).toBe('UNKNOWN_CONNECTION');
    await expectNothingStored();
  });

  it('the response never echoes configured secrets', async () => {
    const res = await request(gw.app)
      .post('/v1/jobs')
      .send({ type: 'extract', source: { connection: 'x', table: 't' } });
    expect(JSON.stringify(res.body)).not.toContain('pg-secret-pw');
  });
});

describe('jobs', () => {
  it('creates, gets, lists and cancels a queued job', async () => {
    const created = await request(gw.app)
      .post('/v1/jobs')
      .send(extractBody({ name: 'orders' }));
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ id: expect.any(String) as string, state: 'queued', affinity: 'default' });
    const id = bodyOf(created).id;
    expect(await gw.redis.exists(`${gw.prefix}:exchange.default:${id}`)).toBe(1);

    const view = await request(gw.app).get(`/v1/jobs/${id}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      id,
      type: 'extract',
      name: 'orders',
      state: 'queued',
      affinity: 'default',
      attempts: 0,
    });
    expect(bodyOf(view).waiting_for).toBe('worker with affinity default');

    const list = await request(gw.app).get('/v1/jobs?state=queued&affinity=default&limit=10');
    expect(list.status).toBe(200);
    expect(bodyOf(list).jobs.map((j) => j.id)).toContain(id);
    const none = await request(gw.app).get('/v1/jobs?affinity=elsewhere');
    expect(bodyOf(none).jobs).toEqual([]);

    const cancelled = await request(gw.app).delete(`/v1/jobs/${id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, state: 'cancelled', error: { code: 'CANCELLED' } });
    expect(bodyOf(cancelled).finished_at).toEqual(expect.any(String));
    expect(await gw.redis.exists(`${gw.prefix}:exchange.default:${id}`)).toBe(0);

    const again = await request(gw.app).delete(`/v1/jobs/${id}`);
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('CONFLICT');
  });

  it('accepts a connection only a live worker advertises', async () => {
    await gw.deps.registry.heartbeat(worker(['source:remote_pg', 'warehouse_b']));
    const res = await request(gw.app)
      .post('/v1/jobs')
      .send({
        type: 'migrate',
        affinity: 'remote',
        source: { connection: 'remote_pg', table: 'public.t' },
        target: { connection: 'warehouse_b', table: 't' },
      });
    expect(res.status).toBe(202);
    const wrongRole = await request(gw.app)
      .post('/v1/jobs')
      .send({ type: 'load', from_job: bodyOf(res).id, target: { connection: 'remote_pg', table: 't' } });
    expect(wrongRole.status).toBe(422);
    expect(errorOf(wrongRole).code).toBe('UNKNOWN_CONNECTION');
    const view = await request(gw.app).get(`/v1/jobs/${bodyOf(res).id}`);
    expect(bodyOf(view).waiting_for).toBe('a free slot on a worker with affinity remote');
    await gw.deps.registry.unregister('w-remote');
  });

  it('404 for unknown ids, 400 for a bad list query', async () => {
    for (const [method, path] of [
      ['get', '/v1/jobs/0000000000nope'],
      ['delete', '/v1/jobs/0000000000nope'],
      ['get', '/v1/jobs/bad%20id'],
    ] as const) {
      const res = await request(gw.app)[method](path);
      expect(res.status).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    const bad = await request(gw.app).get('/v1/jobs?state=sleeping');
    expect(bad.status).toBe(400);
    expect(errorOf(bad).details[0]?.path).toBe('state');
  });

  it('clamps the list limit to 500', async () => {
    const res = await request(gw.app).get('/v1/jobs?limit=100000');
    expect(res.status).toBe(200);
  });

  it('409 when cancelling a finished job', async () => {
    const created = await request(gw.app).post('/v1/jobs').send(extractBody());
    await gw.deps.store.update(bodyOf(created).id, {
      state: 'completed',
      finished_at: new Date().toISOString(),
    });
    const res = await request(gw.app).delete(`/v1/jobs/${bodyOf(created).id}`);
    expect(res.status).toBe(409);
    expect(errorOf(res).code).toBe('CONFLICT');
  });

  it('unknown routes answer 404 in the error shape', async () => {
    const res = await request(gw.app).get('/v2/nothing');
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('NOT_FOUND');
  });

  it('internal errors answer 500 with a generic message', async () => {
    const { buildApp } = await import('../app.js');
    const broken = buildApp({
      ...gw.deps,
      jobs: { ...gw.deps.jobs, view: () => Promise.reject(new Error('boom at redis://u:hunter2@h')) },
    });
    const res = await request(broken).get('/v1/jobs/0000000000abc');
    expect(res.status).toBe(500);
    expect(errorOf(res).code).toBe('INTERNAL');
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(JSON.stringify(res.body)).not.toContain('boom');
  });
});
