import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, createTestDatabase, type TestDatabase } from '@dxa/testing';
import { createStack, type Stack } from './harness.js';

const KEY = 'e2e-secret-api-key';

describe('bad input gets the documented error and enqueues nothing', () => {
  let db: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    db = await createTestDatabase('bad');
    await db.query('CREATE TABLE public.t (id int)');
    stack = createStack({
      database: db.name,
      apiKey: KEY,
      // Connections no job here ever opens: the gateway refuses the jobs naming them at submit.
      extraToml: `
[connections.source.erp_mssql]
type = "sqlserver"
host = "127.0.0.1"

[connections.target.sf]
type = "snowflake"
account = "never-reached"

[connections.stage.sf_stage]
type = "snowflake_stage"
connection = "sf"

[connections.target.pg_dw]
type = "postgresql"
database = "never_reached"
`,
    });
    await stack.startGateway();
  });

  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  const valid = {
    type: 'extract',
    source: { connection: 'pg_main', table: 'public.t' },
  };

  const cases: { name: string; body: unknown; status: number; code: string; mentions?: string }[] = [
    { name: 'malformed JSON', body: '{"type": "extract",', status: 400, code: 'INVALID_JSON' },
    {
      name: 'unknown job type',
      body: { ...valid, type: 'teleport' },
      status: 422,
      code: 'UNKNOWN_JOB_TYPE',
      mentions: 'teleport',
    },
    {
      name: 'unknown connection',
      body: { ...valid, source: { connection: 'nope', table: 'public.t' } },
      status: 422,
      code: 'UNKNOWN_CONNECTION',
      mentions: 'nope',
    },
    {
      name: 'DELETE statement',
      body: { ...valid, source: { connection: 'pg_main', query: 'DELETE FROM t' } },
      status: 422,
      code: 'VALIDATION_FAILED',
      mentions: 'SELECT',
    },
    {
      name: 'stacked statements',
      body: { ...valid, source: { connection: 'pg_main', query: 'SELECT 1; DROP TABLE t' } },
      status: 422,
      code: 'VALIDATION_FAILED',
      mentions: 'single statement',
    },
    {
      name: 'table name carrying SQL',
      body: { ...valid, source: { connection: 'pg_main', table: 'public.t; DROP TABLE t' } },
      status: 422,
      code: 'VALIDATION_FAILED',
      mentions: 'source.table',
    },
    {
      name: 'a target that cannot read the stage, naming both connections',
      body: {
        type: 'migrate',
        source: { connection: 'pg_main', table: 'public.t' },
        stage: { connection: 'sf_stage' },
        target: { connection: 'pg_dw', table: 'public.t' },
      },
      status: 422,
      code: 'UNSUPPORTED',
      mentions: 'stage \\"sf_stage\\" (snowflake_stage) and target \\"pg_dw\\" (postgresql) cannot work together',
    },
    {
      name: 'a source kind this version cannot run',
      body: { ...valid, source: { connection: 'erp_mssql', table: 'dbo.t' } },
      status: 422,
      code: 'UNSUPPORTED',
      mentions: 'source connection \\"erp_mssql\\" (sqlserver)',
    },
  ];

  for (const c of cases) {
    it(`rejects ${c.name}`, async () => {
      const res = await stack.api('POST', '/v1/jobs', c.body);
      expect(res.status).toBe(c.status);
      expect(res.body.error?.code).toBe(c.code);
      if (c.mentions) expect(JSON.stringify(res.body.error)).toContain(c.mentions);
    });
  }

  it('rejects a missing or wrong API key', async () => {
    const missing = await fetch(`${stack.gatewayUrl}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(valid),
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const wrong = await stack.api('POST', '/v1/jobs', valid, { authorization: 'Bearer not-the-key' });
    expect(wrong.status).toBe(401);
    const viaHeader = await fetch(`${stack.gatewayUrl}/v1/jobs?limit=1`, { headers: { 'x-api-key': KEY } });
    expect(viaHeader.status).toBe(200);
    const health = await fetch(`${stack.gatewayUrl}/health`);
    expect(health.status).toBe(200);
  });

  it('rejects an oversized body', async () => {
    const res = await stack.api('POST', '/v1/jobs', { ...valid, name: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('has enqueued nothing at all', async () => {
    const list = await stack.api('GET', '/v1/jobs?limit=100');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain('"id"');
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${stack.prefix}:*`);
      expect(keys.filter((k) => /:job:|:wait$|:prioritized$|:delayed$/.test(k))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
