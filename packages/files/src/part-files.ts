import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { CancelledError, TerminalError, coerceError } from '@dxa/errors';

/** `part-00001.csv.gz`, `part-00002.parquet`, … */
export function partName(index: number, extension: string): string {
  return `part-${String(index).padStart(5, '0')}.${extension}`;
}

/** Bytes per splitter piece: small enough to roll parts near their target, large enough to be cheap. */
export function pieceBytesFor(targetBytes: number): number {
  return Math.max(4096, Math.min(1 << 20, Math.floor(targetBytes / 16)));
}

/** Writes buffers honouring back-pressure; rejects if `failed` rejects while waiting. */
export async function writeBuffers(
  stream: Writable,
  buffers: Buffer[],
  failed: Promise<unknown>,
): Promise<void> {
  for (const buf of buffers) {
    if (!stream.write(buf)) await Promise.race([once(stream, 'drain'), failed]);
  }
}

/** Files created so far; all are removed when the writer fails. */
export class CreatedFiles {
  private readonly paths = new Set<string>();
  add(...paths: string[]): void {
    for (const p of paths) this.paths.add(p);
  }
  forget(path: string): void {
    this.paths.delete(path);
  }
  async removeAll(): Promise<void> {
    await Promise.all([...this.paths].map((p) => rm(p, { force: true, recursive: true })));
    this.paths.clear();
  }
}

/** The error a part writer rejects with: cancellation wins over whatever the abort caused. */
export function writerFailure(thrown: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return new CancelledError('cancelled while writing part files', { step: 'extract' });
  return coerceError(thrown);
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError('cancelled while writing part files', { step: 'extract' });
}

export function missingHeader(): TerminalError {
  return new TerminalError('INTERNAL', 'the source sent no CSV header line', { step: 'extract' });
}
