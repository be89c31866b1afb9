import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROBE_PATHS, httpPathsIn, knownEnvNames } from './schema.js';

// docker-compose 1.29 (Debian) only validates here: no Docker engine is needed for `config`.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
// The gateway service requires an API key; any value is enough to render the file.
const RENDER_ENV = { ...process.env, DXA_API_KEY: 'compose-test-placeholder' };

type Run = { status: number | null; stdout: string; stderr: string };

function compose(file: string, args: string[], env: NodeJS.ProcessEnv = RENDER_ENV): Run {
  const run = spawnSync('docker-compose', ['-f', file, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

type Service = {
  container_name?: string;
  command?: string[];
  environment?: Record<string, string>;
  // docker-compose 1.29 renders `version: "3.8"` ports as "ip:host:container/proto" strings.
  ports?: (string | { host_ip?: string })[];
  healthcheck?: { test?: string[] };
};

describe('docker-compose.yml', () => {
  let dir: string;
  const original = readFileSync(COMPOSE_FILE, 'utf8');

  beforeAll(() => {
    const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0)
      throw new Error(
        'docker-compose is not installed: run scripts/install.sh (it installs the Debian package) first',
      );
    dir = mkdtempSync(path.join(tmpdir(), 'dxa-compose-'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const brokenCopy = (name: string, from: string, to: string): string => {
    expect(original).toContain(from);
    const file = path.join(dir, name);
    writeFileSync(file, original.replace(from, to));
    return file;
  };

  it('is accepted by `docker-compose config -q`', () => {
    const copy = path.join(dir, 'docker-compose.yml');
    copyFileSync(COMPOSE_FILE, copy);
    const run = compose(copy, ['config', '-q']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('is rejected when a service has an unknown key', () => {
    const file = brokenCopy('unknown-key.yml', '  redis:\n', '  redis:\n    restart_policyy: always\n');
    const run = compose(file, ['config', '-q']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/restart_policyy/);
  });

  it('is rejected when the indentation is broken', () => {
    const file = brokenCopy('bad-indent.yml', '    image: redis:', '      image: redis:');
    expect(compose(file, ['config', '-q']).status).not.toBe(0);
  });

  it('refuses to render without DXA_API_KEY, naming the variable', () => {
    const { DXA_API_KEY: _unused, ...withoutKey } = process.env;
    const run = compose(COMPOSE_FILE, ['config', '-q'], withoutKey);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/DXA_API_KEY/);
  });

  describe('rendered', () => {
    let services: Record<string, Service>;

    beforeAll(() => {
      const run = compose(COMPOSE_FILE, ['config']);
      expect(run.status).toBe(0);
      services = (parse(run.stdout) as { services: Record<string, Service> }).services;
    });

    it('publishes ports on 127.0.0.1 only', () => {
      const published = Object.entries(services).flatMap(([name, s]) =>
        (s.ports ?? []).map((p) => ({
          name,
          host_ip: typeof p === 'string' ? p.split(':')[0] : p.host_ip,
        })),
      );
      expect(published.length).toBeGreaterThan(0);
      for (const p of published) expect(p).toEqual({ name: p.name, host_ip: '127.0.0.1' });
    });

    it('runs two scalable worker pools with health ports and healthchecks', () => {
      for (const [name, label] of [
        ['worker-blue', 'blue'],
        ['worker-green', 'green'],
      ] as const) {
        const worker = services[name];
        expect(worker, name).toBeDefined();
        expect(worker?.container_name).toBeUndefined();
        expect(worker?.environment?.AGENT_AFFINITY).toBe(label);
        expect(worker?.command).toEqual(['worker', '--health-port', '9464']);
        expect(worker?.healthcheck?.test?.join(' ')).toContain('127.0.0.1:9464/healthz');
      }
    });

    it('gives the product only environment variables it reads', () => {
      // The same list the Helm chart is checked against: ENV_VARS plus the worker and gateway tuning.
      const known = knownEnvNames();
      for (const name of ['gateway', 'worker-blue', 'worker-green']) {
        const unknown = Object.keys(services[name]?.environment ?? {}).filter((v) => !known.has(v));
        expect(unknown, name).toEqual([]);
      }
    });

    it('probes only paths the gateway or worker serves', () => {
      const paths = httpPathsIn(readFileSync(COMPOSE_FILE, 'utf8'));
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) expect(PROBE_PATHS, p).toContain(p);
    });

    it('keeps Redis from evicting queue keys', () => {
      const command = services.redis?.command?.join(' ') ?? '';
      expect(command).toContain('--appendonly yes');
      expect(command).toContain('--maxmemory-policy noeviction');
    });
  });
});
