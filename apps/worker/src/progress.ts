import type { Phase, Progress } from '@dxa/contracts';

export type ProgressSink = (progress: Progress) => Promise<void>;

export type ProgressReporterOptions = {
  sink: ProgressSink;
  /** Progress writes are best effort: a failed write is reported here, never thrown into the job. */
  onError: (err: unknown) => void;
  /** At most one write per interval (2 per second by default). */
  minIntervalMs?: number;
  now?: () => number;
};

export type ProgressDelta = { rows?: number; bytes?: number; files?: number };

type PhaseState = {
  phase: Phase;
  startedAt: number;
  rows: number;
  bytes: number;
  files: number;
  total?: number;
};

/**
 * Per-job progress: counters of the current phase, throttled writes (coalesced so a slow sink
 * never queues up stale updates), and a final write at the end of each phase.
 */
export class ProgressReporter {
  private readonly sink: ProgressSink;
  private readonly onError: (err: unknown) => void;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private state: PhaseState | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private writing: Promise<void> | undefined;

  constructor(options: ProgressReporterOptions) {
    this.sink = options.sink;
    this.onError = options.onError;
    this.minIntervalMs = options.minIntervalMs ?? 500;
    this.now = options.now ?? Date.now;
  }

  /** Starts a phase with fresh counters and writes it at once. */
  startPhase(phase: Phase, totalRowsEstimate?: number): void {
    this.state = {
      phase,
      startedAt: this.now(),
      rows: 0,
      bytes: 0,
      files: 0,
      ...(totalRowsEstimate === undefined ? {} : { total: totalRowsEstimate }),
    };
    void this.flush();
  }

  add(delta: ProgressDelta): void {
    if (!this.state) return;
    this.state.rows += delta.rows ?? 0;
    this.state.bytes += delta.bytes ?? 0;
    this.state.files += delta.files ?? 0;
    this.schedule();
  }

  set(values: ProgressDelta & { totalRowsEstimate?: number }): void {
    if (!this.state) return;
    if (values.rows !== undefined) this.state.rows = values.rows;
    if (values.bytes !== undefined) this.state.bytes = values.bytes;
    if (values.files !== undefined) this.state.files = values.files;
    if (values.totalRowsEstimate !== undefined) this.state.total = values.totalRowsEstimate;
    this.schedule();
  }

  /** The final write of a phase; resolves when it (and anything before it) is written. */
  endPhase(): Promise<void> {
    return this.flush();
  }

  snapshot(): Progress | undefined {
    const s = this.state;
    if (!s) return undefined;
    const elapsedSeconds = (this.now() - s.startedAt) / 1000;
    const rowsPerSecond = elapsedSeconds > 0 ? Math.round(s.rows / elapsedSeconds) : 0;
    const progress: Progress = {
      phase: s.phase,
      rows: s.rows,
      bytes: s.bytes,
      files: s.files,
      rows_per_second: rowsPerSecond,
    };
    if (s.total !== undefined) {
      progress.total_rows_estimate = s.total;
      if (rowsPerSecond > 0)
        progress.eta_seconds = Math.max(0, Math.round((s.total - s.rows) / rowsPerSecond));
    }
    return progress;
  }

  /** Stops the throttle timer and waits for writes in flight; later updates are dropped. */
  async close(): Promise<void> {
    this.clearTimer();
    this.state = undefined;
    while (this.writing) await this.writing;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastWriteAt + this.minIntervalMs - this.now();
    if (wait <= 0) {
      void this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, wait);
    this.timer.unref();
  }

  /** Writes the latest state; concurrent callers share writes and each returns once its state is written. */
  private async flush(): Promise<void> {
    this.clearTimer();
    this.dirty = true;
    for (;;) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      if (!this.dirty) return;
      const write = this.writeLatest();
      this.writing = write;
      await write;
      if (this.writing === write) this.writing = undefined;
    }
  }

  private async writeLatest(): Promise<void> {
    this.dirty = false;
    const progress = this.snapshot();
    if (!progress) return;
    this.lastWriteAt = this.now();
    try {
      await this.sink(progress);
    } catch (err) {
      this.onError(err);
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
