import type { JobView, Progress } from '@dxa/contracts';

export function formatNumber(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m < 60
    ? `${m}m${String(s).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** One plain line of progress, for logs and non-terminal output. */
export function progressLine(p: Progress): string {
  const total = p.total_rows_estimate ? ` of ~${formatNumber(p.total_rows_estimate)}` : '';
  const eta = p.eta_seconds !== undefined ? `, eta ${formatDuration(p.eta_seconds)}` : '';
  return `${p.phase}: ${formatNumber(p.rows)}${total} rows, ${formatBytes(p.bytes)}, ${p.files} files, ${formatNumber(p.rows_per_second)} rows/s${eta}`;
}

function elapsedSeconds(view: JobView): number | undefined {
  if (!view.started_at) return undefined;
  const end = view.finished_at ? Date.parse(view.finished_at) : Date.now();
  return (end - Date.parse(view.started_at)) / 1000;
}

/** "partitions: 3 of 8 done, 2 running (w-1, w-2), 1 re-read after a lost worker" and the plan. */
function partitionLines(view: JobView): string[] {
  const parts = view.partitions;
  const plan = view.result?.extract?.partitions;
  const lines: string[] = [];
  if (parts && parts.length > 0) {
    const done = parts.filter((p) => p.state === 'completed').length;
    const running = parts.filter((p) => p.state === 'active');
    const workers = [...new Set(running.map((p) => p.worker).filter((w) => w !== undefined))];
    const reread = parts.filter((p) => p.attempts > 1).length;
    lines.push(
      `  partitions: ${done} of ${parts.length} done, ${running.length} running` +
        (workers.length > 0 ? ` (${workers.join(', ')})` : '') +
        (reread > 0 ? `, ${reread} re-read after a failure or lost worker` : ''),
    );
  }
  if (plan) {
    const note =
      plan.consistency === 'snapshot' ? 'one snapshot' : `no shared snapshot: ${plan.consistency_note ?? ''}`;
    lines.push(`  partitioning: ${plan.reason} (${note})`);
  }
  return lines;
}

/** The human-readable summary `dxa status` prints. */
export function jobSummary(view: JobView): string {
  const lines = [`job ${view.id} (${view.type}${view.name ? `, ${view.name}` : ''}): ${view.state}`];
  lines.push(
    `  affinity ${view.affinity}${view.worker ? `, worker ${view.worker}` : ''}, attempts ${view.attempts}`,
  );
  if (view.waiting_for) lines.push(`  waiting for ${view.waiting_for}`);
  const elapsed = elapsedSeconds(view);
  if (elapsed !== undefined) lines.push(`  elapsed ${formatDuration(elapsed)}`);
  if (view.progress && view.state === 'active') lines.push(`  ${progressLine(view.progress)}`);
  lines.push(...partitionLines(view));
  const r = view.result;
  if (r?.extract) {
    lines.push(
      `  extracted ${formatNumber(r.extract.rows)} rows into ${r.extract.files.length} ${r.extract.format} files (${formatBytes(r.extract.files.reduce((a, f) => a + f.bytes, 0))})`,
    );
  }
  if (r?.load) lines.push(`  loaded ${formatNumber(r.load.rows)} rows into ${r.load.table} (${r.load.mode})`);
  if (r?.validation) {
    const c = r.validation.count;
    const counts = c
      ? `: source ${formatNumber(c.source_rows)} rows, target ${formatNumber(c.target_rows)} rows`
      : '';
    lines.push(`  validation ${r.validation.status}${counts}`);
  }
  if (view.error) lines.push(`  error ${view.error.code}: ${view.error.message}`);
  return lines.join('\n');
}
