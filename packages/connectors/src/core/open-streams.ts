import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { CancelledError } from '@dxa/errors';

/**
 * The extract streams a source has handed out, and the clean-ups of abandoned ones (a query being
 * cancelled on the server), so that closing the source ends them and waits until nothing runs.
 */
export class OpenStreams {
  private readonly active = new Set<Readable>();
  private readonly cleanups = new Set<Promise<void>>();

  /** Registers the clean-up of an abandoned stream; close() waits for it. */
  readonly track = (cleanup: Promise<void>): void => {
    this.cleanups.add(cleanup);
    void cleanup.finally(() => this.cleanups.delete(cleanup));
  };

  add<S extends Readable>(stream: S): S {
    this.active.add(stream);
    stream.once('close', () => this.active.delete(stream));
    return stream;
  }

  /** Cancels the streams still open (their clean-up registers on 'close') and waits for every clean-up. */
  async close(reason: string): Promise<void> {
    const closed = [...this.active].map((stream) => once(stream, 'close').catch(() => undefined));
    for (const stream of this.active) stream.destroy(new CancelledError(reason, { step: 'extract' }));
    await Promise.all(closed);
    await Promise.all([...this.cleanups]);
  }
}
