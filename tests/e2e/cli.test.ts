import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, runDxa, spawnDxa, type TestDatabase } from '@dxa/testing';
import { createStack, type Stack } from './harness.js';

describe('the dxa command line against a running gateway and worker', () => {
  let db: TestDatabase;
  let stack: Stack;
  let jobFile: string;

  beforeAll(async () => {
    db = await createTestDatabase('cli');
    await db.query(
      `CREATE TABLE public.people AS SELECT g AS id, 'person ' || g AS name FROM generate_series(1, 5000) g`,
    );
    stack = createStack({ database: db.name, apiKey: 'cli-key-123' });
    await stack.startGateway();
    await stack.startWorker('default');
    jobFile = join(stack.dir, 'job.json');
    writeFileSync(
      jobFile,
      JSON.stringify({
        type: 'migrate',
        source: { connection: 'pg_main', table: 'public.people' },
        format: 'csv',
        target: { connection: 'warehouse', table: 'people', mode: 'replace' },
      }),
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  const gw = () => ['--gateway', stack.gatewayUrl!, '--api-key', 'cli-key-123'];

  it('submit --watch exits 0 when the job completes, and status/jobs show it', async () => {
    const submit = await runDxa(['submit', jobFile, '--watch', ...gw()]);
    expect(submit.code, submit.output).toBe(0);
    const id = /^([A-Za-z0-9_-]{8,})$/m.exec(submit.output)?.[1];
    expect(id).toBeDefined();
    expect(submit.output).toContain('loaded 5,000 rows');

    const status = await runDxa(['status', id!, '--json', ...gw()]);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.output.slice(status.output.indexOf('{'))) as { state: string }).state).toBe(
      'completed',
    );

    const jobs = await runDxa(['jobs', '--state', 'completed', ...gw()]);
    expect(jobs.output).toContain(id);

    const cancel = await runDxa(['cancel', id!, ...gw()]);
    expect(cancel.code).toBe(1);
    expect(cancel.output).toMatch(/CONFLICT/);
  });

  it('submit --watch exits non-zero when the job fails', async () => {
    const bad = join(stack.dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        type: 'migrate',
        source: { connection: 'pg_main', table: 'public.missing' },
        target: { connection: 'warehouse', table: 'x' },
      }),
    );
    const res = await runDxa(['submit', bad, '--watch', ...gw()]);
    expect(res.code).toBe(1);
    expect(res.output).toMatch(/SOURCE_NOT_FOUND/);
  });

  it('reports a configuration error with exit code 2, naming the file and key', async () => {
    const cfg = join(stack.dir, 'broken.toml');
    writeFileSync(cfg, '[server]\nport = "eighty"\n');
    const res = await runDxa(['test-connections', '--config', cfg]);
    expect(res.code).toBe(2);
    expect(res.output).toContain('broken.toml');
    expect(res.output).toContain('server.port');
    expect(res.output).not.toMatch(/\n\s+at /);
  });

  it('test-connections prints one line per connection and fails without leaking the password', async () => {
    const ok = await runDxa(['test-connections', '--config', stack.configFile], {
      env: { E2E_API_KEY: 'cli-key-123' },
    });
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(/^ok +source connection "pg_main" \(postgresql\) \(\d+ ms\)$/m);
    expect(ok.output).toMatch(/^ok +target connection "warehouse" \(duckdb\)/m);

    const cfg = join(stack.dir, 'wrong-password.toml');
    writeFileSync(
      cfg,
      `[connections.source.remote]\ntype = "postgresql"\nhost = "127.0.0.1"\nport = 5432\ndatabase = "${db.name}"\nusername = "no_such_user"\npassword = "Sup3r-Secret-Pa55"\n`,
    );
    const bad = await runDxa(['test-connections', '--config', cfg]);
    expect(bad.code).toBe(1);
    // Named once, with its kind, then what failed.
    expect(bad.output).toMatch(/^FAIL +source connection "remote" \(postgresql\): check connection: .*no_such_user/m);
    expect(bad.output).not.toMatch(/connection "remote".*connection "remote"/);
    expect(bad.output).not.toContain('Sup3r-Secret-Pa55');
  });

  it('data-exchange-agent accepts the upstream flags and serves the upstream routes', async () => {
    const agent = spawnDxa(['--port', '0', '--workers', '2', '--config', stack.configFile], {
      entry: 'upstream',
      env: { E2E_API_KEY: 'cli-key-123', AGENT_AFFINITY: 'upstream' },
    });
    try {
      const url = (await agent.waitFor(/agent listening on (http:\/\/[^\s,]+)/))[1]!;
      const headers = { authorization: 'Bearer cli-key-123' };
      const health = (await (await fetch(`${url}/health`)).json()) as { status: string };
      expect(health.status).toBe('healthy');
      const status = (await (await fetch(`${url}/get_handling_tasks_status`, { headers })).json()) as {
        handling_tasks: boolean;
      };
      expect(status.handling_tasks).toBe(true);
      const task = await fetch(`${url}/tasks`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 't1',
          engine: 'pg_main',
          database: db.name,
          schema: 'public',
          statement: 'SELECT id, name FROM public.people',
          source_type: 'postgresql',
          upload_type: 'local',
          upload_path: 'upstream',
        }),
      });
      expect(task.status).toBe(200);
      const { id_task } = (await task.json()) as { id_task: string };
      const view = await stack.waitForState(id_task, ['completed', 'failed', 'cancelled']);
      expect(view.state, JSON.stringify(view.error)).toBe('completed');
      expect(view.result?.extract?.rows).toBe(5000);
    } finally {
      await agent.stop();
    }
  });
});
