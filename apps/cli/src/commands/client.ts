import { readFile } from 'node:fs/promises';
import { loadConfig } from '@dxa/config';
import { JobState } from '@dxa/contracts';
import { GatewayClient } from '../api-client.js';
import { jobSummary } from '../format.js';
import { UsageError, parsePositiveInt, type GlobalOptions } from '../runtime.js';
import { watchJob } from '../watch.js';

export type ClientOptions = GlobalOptions & { gateway?: string; apiKey?: string };

/** Gateway URL and key: flags, then environment, then the configuration file. */
export function clientFrom(opts: ClientOptions): GatewayClient {
  let baseUrl = opts.gateway ?? process.env.DXA_GATEWAY_URL;
  let apiKey = opts.apiKey ?? process.env.DXA_API_KEY;
  if (!baseUrl || !apiKey) {
    const { config } = loadConfig({ ...(opts.config ? { file: opts.config } : {}), env: process.env });
    const host = ['0.0.0.0', '::'].includes(config.server.host) ? '127.0.0.1' : config.server.host;
    baseUrl ??= `http://${host}:${config.server.port}`;
    apiKey ??= config.task_source.api.key;
  }
  return new GatewayClient({ baseUrl, apiKey });
}

export async function submit(file: string, opts: ClientOptions & { watch?: boolean }): Promise<number> {
  let body: string;
  try {
    body = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read job file ${file}: ${(err as Error).message}`);
  }
  const client = clientFrom(opts);
  const { id } = await client.submit(body);
  process.stdout.write(`${id}\n`);
  if (!opts.watch) return 0;
  const view = await watchJob(client, id, process.stderr);
  process.stderr.write(`${jobSummary(view)}\n`);
  return view.state === 'completed' ? 0 : 1;
}

export async function status(id: string, opts: ClientOptions & { json?: boolean }): Promise<number> {
  const view = await clientFrom(opts).get(id);
  process.stdout.write(opts.json ? `${JSON.stringify(view, null, 2)}\n` : `${jobSummary(view)}\n`);
  return 0;
}

export async function cancel(id: string, opts: ClientOptions): Promise<number> {
  const view = await clientFrom(opts).cancel(id);
  process.stdout.write(`${view.id}: ${view.state === 'cancelled' ? 'cancelled' : 'cancel requested'}\n`);
  return 0;
}

export async function jobs(
  opts: ClientOptions & { state?: string; affinity?: string; limit?: string; json?: boolean },
): Promise<number> {
  if (opts.state !== undefined && !JobState.safeParse(opts.state).success) {
    throw new UsageError(`--state must be one of ${JobState.options.join(', ')}, got "${opts.state}"`);
  }
  const list = await clientFrom(opts).list({
    ...(opts.state ? { state: opts.state } : {}),
    ...(opts.affinity ? { affinity: opts.affinity } : {}),
    limit: opts.limit ? parsePositiveInt(opts.limit, '--limit') : 50,
  });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  for (const j of list) {
    const rows = j.result?.load?.rows ?? j.result?.extract?.rows ?? j.progress?.rows;
    process.stdout.write(
      `${j.id}  ${j.type.padEnd(8)} ${j.state.padEnd(9)} ${j.affinity.padEnd(12)} ${j.created_at}${rows !== undefined ? `  ${rows} rows` : ''}\n`,
    );
  }
  if (list.length === 0) process.stdout.write('no jobs\n');
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
