import { spawnSync } from 'node:child_process';

/** The run with the median time of alternating runs. */
export function median<T extends { seconds: number }>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall seconds of a shell pipeline (pipefail: a failing stage fails the benchmark). */
export function timeShell(command: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`reference command failed: ${command}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export type FinishedExtract = {
  seconds: number;
  bytes: number;
  files: number;
  /** Partitions of the extract (1 when it was read in one piece). */
  partitions: number;
};

type View = {
  state: string;
  error?: unknown;
  result?: { extract?: { files: { bytes: number }[]; partitions?: { count: number } } };
};

/** Submits a job to the gateway and polls its view until it completed: seconds from submit to completed. */
export async function timeExtractJob(gatewayUrl: string, body: unknown): Promise<FinishedExtract> {
  const started = process.hrtime.bigint();
  const res = await fetch(`${gatewayUrl}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const view = (await (await fetch(`${gatewayUrl}/v1/jobs/${id}`)).json()) as View;
    if (view.state === 'completed') {
      const files = view.result?.extract?.files ?? [];
      return {
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        bytes: files.reduce((a, f) => a + f.bytes, 0),
        files: files.length,
        partitions: view.result?.extract?.partitions?.count ?? 1,
      };
    }
    if (view.state === 'failed' || view.state === 'cancelled')
      throw new Error(`benchmark job ${view.state}: ${JSON.stringify(view.error)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
