import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobView } from '@dxa/contracts';
import {
  PG_HOST,
  PG_PORT,
  PG_USER,
  REDIS_URL,
  cleanupRedisPrefix,
  spawnDxa,
  uniquePrefix,
  type DxaProcess,
  type SpawnOptions,
} from '@dxa/testing';

/** The parts of a gateway response body the tests look at. */
export type ApiBody = {
  id?: string;
  state?: string;
  affinity?: string;
  error?: { code: string; message: string; details?: unknown[] };
  [key: string]: unknown;
};

export type StackOptions = { database: string; apiKey?: string; extraToml?: string };

/** A temp folder, a configuration file and a Redis prefix for one test file's processes. */
export type Stack = {
  dir: string;
  configFile: string;
  prefix: string;
  duckdbFile: string;
  stageDir: string;
  gatewayUrl?: string;
  startGateway(opts?: SpawnOptions): Promise<DxaProcess>;
  startWorker(
    affinity: string,
    opts?: { concurrency?: number } & SpawnOptions,
  ): Promise<{ proc: DxaProcess; id: string }>;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: ApiBody }>;
  waitForState(id: string, states: string[], timeoutMs?: number): Promise<JobView>;
  stop(): Promise<void>;
};

// Fast stall detection so a killed worker's job is picked up within seconds.
const WORKER_ENV = {
  DXA_LOCK_DURATION_MS: '4000',
  DXA_STALLED_INTERVAL_MS: '1000',
  DXA_HEARTBEAT_MS: '1000',
};

export function createStack(options: StackOptions): Stack {
  const dir = mkdtempSync(join(tmpdir(), 'dxa-e2e-'));
  const prefix = uniquePrefix('e2e');
  const duckdbFile = join(dir, 'warehouse.duckdb');
  const stageDir = join(dir, 'stage');
  const configFile = join(dir, 'configuration.toml');
  writeFileSync(
    configFile,
    `[application]
work_dir = "${join(dir, 'work')}"
shutdown_timeout_seconds = 5

[redis]
url = "${REDIS_URL}"
prefix = "${prefix}"
${options.apiKey ? `\n[task_source.api]\nkey = "\${E2E_API_KEY}"\n` : ''}
[connections.source.pg_main]
type = "postgresql"
host = "${PG_HOST}"
port = ${PG_PORT}
database = "${options.database}"
username = "${PG_USER}"

[connections.stage.local]
type = "local"
path = "${stageDir}"

[connections.target.warehouse]
type = "duckdb"
path = "${duckdbFile}"
${options.extraToml ?? ''}
`,
  );
  const env = options.apiKey ? { E2E_API_KEY: options.apiKey } : {};
  const procs: DxaProcess[] = [];
  const stack: Stack = {
    dir,
    configFile,
    prefix,
    duckdbFile,
    stageDir,
    async startGateway(opts = {}) {
      const proc = spawnDxa(['gateway', '--config', configFile, '--port', '0'], {
        ...opts,
        env: { ...env, ...opts.env },
      });
      procs.push(proc);
      const m = await proc.waitFor(/gateway listening on (http:\/\/\S+)/);
      stack.gatewayUrl = m[1];
      return proc;
    },
    async startWorker(affinity, opts = {}) {
      const proc = spawnDxa(
        [
          'worker',
          '--config',
          configFile,
          '--affinity',
          affinity,
          '--concurrency',
          String(opts.concurrency ?? 2),
        ],
        {
          ...opts,
          env: { ...env, ...WORKER_ENV, ...opts.env },
        },
      );
      procs.push(proc);
      const m = await proc.waitFor(/worker (\S+) serving/);
      return { proc, id: m[1]! };
    },
    async api(method, path, body, headers = {}) {
      const auth: Record<string, string> = options.apiKey
        ? { authorization: `Bearer ${options.apiKey}` }
        : {};
      const res = await fetch(`${stack.gatewayUrl}${path}`, {
        method,
        headers: {
          ...auth,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: ApiBody = { text };
      try {
        parsed = JSON.parse(text) as ApiBody;
      } catch {
        // not JSON; keep the text
      }
      return { status: res.status, body: parsed };
    },
    async waitForState(id, states, timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        const { body } = await stack.api('GET', `/v1/jobs/${id}`);
        last = body;
        if (states.includes(body.state ?? '')) return JobView.parse(body);
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`job ${id} did not reach ${states.join('|')}; last view: ${JSON.stringify(last)}`);
    },
    async stop() {
      await Promise.all(procs.map((p) => p.stop('SIGKILL')));
      await cleanupRedisPrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
