import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { testGateway, type TestGateway, errorOf } from '../test-support.js';

const KEY = 'test-api-key-0123456789';
let gw: TestGateway;

beforeAll(async () => {
  gw = await testGateway('auth', { apiKey: KEY });
});
afterAll(async () => {
  await gw.close();
});

describe('API key', () => {
  it.each(['/v1/jobs', '/v1/workers', '/metrics', '/get_tasks_count', '/v1/jobs/0000000000abc/events'])(
    '%s needs the key',
    async (path) => {
      const res = await request(gw.app).get(path);
      expect(res.status).toBe(401);
      expect(errorOf(res).code).toBe('UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    },
  );

  it('rejects a wrong key and never echoes keys', async () => {
    for (const headers of [
      { authorization: 'Bearer wrong' },
      { 'x-api-key': `${KEY}x` },
      { authorization: `Basic ${KEY}` },
    ]) {
      const res = await request(gw.app).get('/v1/workers').set(headers);
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body)).not.toContain(KEY);
    }
  });

  it('accepts Authorization: Bearer and X-API-Key', async () => {
    expect((await request(gw.app).get('/v1/workers').set('authorization', `Bearer ${KEY}`)).status).toBe(200);
    expect((await request(gw.app).get('/v1/workers').set('authorization', `bearer ${KEY}`)).status).toBe(200);
    expect((await request(gw.app).get('/v1/workers').set('x-api-key', KEY)).status).toBe(200);
  });

  it('rejects before reading the body', async () => {
    const res = await request(gw.app)
      .post('/v1/jobs')
      .set('content-type', 'application/json')
      .send('{not json');
    expect(res.status).toBe(401);
  });

  it.each(['/health', '/healthz', '/readyz'])('%s is open', async (path) => {
    expect((await request(gw.app).get(path)).status).toBe(200);
  });
});
