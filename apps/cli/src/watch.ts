import cliProgress from 'cli-progress';
import { JobView, Progress, TERMINAL_STATES } from '@dxa/contracts';
import type { GatewayClient } from './api-client.js';
import { formatBytes, formatNumber, progressLine } from './format.js';

type Sink = { update(p: Progress): void; stop(): void };

function terminalBar(): Sink {
  const bar = new cliProgress.SingleBar(
    {
      format:
        ' {phase} [{bar}] {percentage}% | {rowsText} rows | {bytesText} | {rate} rows/s | eta {eta_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const total = Math.max(p.total_rows_estimate ?? p.rows, p.rows, 1);
      const payload = {
        phase: p.phase.padEnd(8),
        rowsText: formatNumber(p.rows),
        bytesText: formatBytes(p.bytes),
        rate: formatNumber(p.rows_per_second),
      };
      if (!started) {
        bar.start(total, p.rows, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(p.rows, payload);
      }
    },
    stop: () => bar.stop(),
  };
}

/** At most one line every 2 s, plus the last state of each phase when the next one starts. */
function plainLines(out: NodeJS.WritableStream): Sink {
  let lastWrite = 0;
  let shown: Progress | undefined;
  let latest: Progress | undefined;
  const write = (p: Progress) => {
    out.write(`${new Date().toISOString()} ${progressLine(p)}\n`);
    shown = p;
    lastWrite = Date.now();
  };
  return {
    update(p) {
      if (latest && latest !== shown && latest.phase !== p.phase) write(latest);
      latest = p;
      if (p.phase !== shown?.phase || Date.now() - lastWrite >= 2000) write(p);
    },
    stop: () => {
      if (latest && latest !== shown) write(latest);
    },
  };
}

/** Follows a job's events until it ends; returns the final view. Reconnects if the stream drops. */
export async function watchJob(client: GatewayClient, id: string, out: NodeJS.WriteStream): Promise<JobView> {
  const sink = out.isTTY ? terminalBar() : plainLines(out);
  try {
    for (let attempt = 0; attempt < 30; attempt++) {
      try {
        for await (const ev of client.events(id)) {
          if (ev.event === 'progress') {
            const p = Progress.safeParse(ev.data);
            if (p.success) sink.update(p.data);
          } else if (ev.event === 'completed' || ev.event === 'failed' || ev.event === 'cancelled') {
            const view = JobView.safeParse(ev.data);
            return view.success ? view.data : await client.get(id);
          }
        }
      } catch {
        // The stream dropped (gateway restart, network); the job keeps running, so reconnect.
      }
      const view = await client.get(id);
      if (TERMINAL_STATES.includes(view.state)) return view;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return await client.get(id);
  } finally {
    sink.stop();
  }
}
