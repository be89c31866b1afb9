import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const CLI_MAIN = resolve(REPO_ROOT, 'apps/cli/src/main.ts');
const UPSTREAM_MAIN = resolve(REPO_ROOT, 'apps/cli/src/upstream-main.ts');

export type DxaProcess = {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr, or rejects after `timeoutMs` or on exit. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<void>;
};

export type SpawnOptions = {
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  cwd?: string;
  /** `upstream` runs the `data-exchange-agent` command line instead of `dxa`. */
  entry?: 'dxa' | 'upstream';
};

const TEST_ENV = {
  SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
  SF_TELEMETRY_DISABLE_CONNECTION_SHAPE: '1',
  SNOWFLAKE_DISABLE_MINICORE: '1',
};

/** Runs the real CLI (`dxa <args>`) as a separate process, the way an operator would. */
export function spawnDxa(args: string[], options: SpawnOptions = {}): DxaProcess {
  const main = options.entry === 'upstream' ? UPSTREAM_MAIN : CLI_MAIN;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', main, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...TEST_ENV, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.on('exit', (code, signal) => {
      for (const l of listeners) l();
      res({ code, signal });
    });
  });
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpMatchArray>((res, rej) => {
      const check = () => {
        const m = out.match(pattern);
        if (m) {
          done();
          res(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done();
          rej(new Error(`process exited before ${String(pattern)}; output:\n${out}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        rej(new Error(`timed out waiting for ${String(pattern)}; output:\n${out}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return {
    child,
    output: () => out,
    waitFor,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs a CLI command to completion. */
export async function runDxa(
  args: string[],
  options: SpawnOptions = {},
): Promise<{ code: number | null; output: string }> {
  const p = spawnDxa(args, options);
  const { code } = await p.exited;
  return { code, output: p.output() };
}
