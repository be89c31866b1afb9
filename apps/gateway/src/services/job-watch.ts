import { TERMINAL_STATES, type JobEventName, type WorkerInfo } from '@dxa/contracts';
import type { Logger } from '@dxa/logger';
import { toJobView, type JobRecord, type JobStore, type WorkerRegistry } from '@dxa/queue';
import type { JobEventsHub } from './job-events.js';

/** Where a watch writes its events; the SSE route adapts an HTTP response to this. */
export type EventSink = {
  send(event: JobEventName, data: unknown): void;
  comment(text: string): void;
  end(): void;
};

export type JobWatchDeps = {
  store: JobStore;
  registry: WorkerRegistry;
  hub: JobEventsHub;
  logger: Logger;
  pollMs?: number;
  keepAliveMs?: number;
};

/** One client following one job; see `watchJob`. */
class JobWatch {
  private stopped = false;
  private checking = false;
  private lastState: JobRecord['state'];
  private lastProgress: string;
  // Once the queue delivers progress, the (throttled, possibly older) record copy is not used.
  private queueProgressSeen = false;
  private unsubscribe: (() => void) | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly deps: JobWatchDeps,
    private readonly initial: JobRecord,
    private readonly sink: EventSink,
  ) {
    this.lastState = initial.state;
    this.lastProgress = JSON.stringify(initial.progress ?? null);
  }

  readonly stop = (): void => {
    if (this.stopped) return;
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.unsubscribe?.();
  };

  async start(): Promise<void> {
    const workers = await this.deps.registry.live().catch(() => []);
    this.sink.send('state', toJobView(this.initial, workers));
    if (TERMINAL_STATES.includes(this.initial.state)) return this.finish(this.initial, workers);
    const off = await this.deps.hub.subscribe(this.initial.spec.affinity, this.initial.id, {
      progress: (data) => {
        this.queueProgressSeen = true;
        this.sendProgress(data);
      },
      changed: () => void this.check(),
    });
    if (this.stopped) return off();
    this.unsubscribe = off;
    this.timers.push(setInterval(() => void this.check(), this.deps.pollMs ?? 1_000));
    this.timers.push(setInterval(() => this.sink.comment('keep-alive'), this.deps.keepAliveMs ?? 15_000));
    await this.check(); // catches a change that happened while subscribing
  }

  end(): void {
    this.stop();
    this.sink.end();
  }

  private finish(record: JobRecord, workers: WorkerInfo[]): void {
    this.sink.send(record.state as JobEventName, toJobView(record, workers));
    this.end();
  }

  private sendProgress(data: unknown): void {
    if (this.stopped) return;
    this.lastProgress = JSON.stringify(data ?? null);
    this.sink.send('progress', data);
  }

  private async check(): Promise<void> {
    if (this.stopped || this.checking) return;
    this.checking = true;
    try {
      const record = await this.deps.store.get(this.initial.id);
      if (this.stopped) return;
      if (!record) return this.end(); // removed or expired: nothing more will happen
      const workers = await this.deps.registry.live();
      if (TERMINAL_STATES.includes(record.state)) return this.finish(record, workers);
      const progress = JSON.stringify(record.progress ?? null);
      if (!this.queueProgressSeen && record.progress && progress !== this.lastProgress)
        this.sendProgress(record.progress);
      if (record.state !== this.lastState) {
        this.lastState = record.state;
        this.sink.send('state', toJobView(record, workers));
      }
    } catch (err) {
      this.deps.logger.debug('job watch poll failed; retrying', { job: this.initial.id, error: String(err) });
    } finally {
      this.checking = false;
    }
  }
}

/**
 * Streams one job: a `state` event, `progress` events (from the queue's events, else from the
 * record), `state` again when it starts, and finally `completed` / `failed` / `cancelled` with the
 * view, then ends. The record is polled as well, so a cancel or a change without a queue event is
 * still seen. Returns an idempotent stop function for when the client goes away.
 */
export function watchJob(deps: JobWatchDeps, initial: JobRecord, sink: EventSink): () => void {
  const watch = new JobWatch(deps, initial, sink);
  watch.start().catch((err: unknown) => {
    deps.logger.warn('job watch failed', { job: initial.id, error: String(err) });
    watch.end();
  });
  return watch.stop;
}
