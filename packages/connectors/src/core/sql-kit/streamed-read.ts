import type { Readable } from 'node:stream';
import { CancelledError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import { wrapDriverError } from '../driver-errors.js';
import type { OpenStreams } from '../open-streams.js';
import type { SqlEngine } from './engine.js';
import type { BeginTransaction } from './session.js';

/** What the engine's stream is handed when it starts. */
export type StreamControls = {
  /** Says the server has sent every row (the stream's 'end' says it too, for streams that end with the rows). */
  serverDone: () => void;
  /** The job error for a driver error: fail the stream with it. */
  wrap: (thrown: unknown) => Error;
};

export type StreamedReadRequest<C> = {
  engine: SqlEngine<C>;
  begin: BeginTransaction<C>;
  /** Builds the statement inside the transaction (it may read the catalog first). */
  statement: (conn: C) => Promise<string>;
  /** Runs the statement and returns its byte stream (interchange CSV). */
  open: (conn: C, sql: string, controls: StreamControls) => Readable;
  signal: AbortSignal;
  logger: Logger;
  /** What is read, e.g. `extract public.orders`: errors and cancellations name it. */
  what: string;
  /** Scrubbed from error messages. */
  password: string | undefined;
  /** The source's open streams: close() ends this one and waits for its clean-up. */
  streams: OpenStreams;
};

/**
 * Streams one statement on its own connection inside the engine's transaction. When the server
 * has sent everything the transaction commits and the connection goes back to the pool; if the
 * stream closes first (abort, consumer failure, server or value error) the statement is cancelled
 * on the server and the connection discarded, so neither a server session nor a client lingers.
 */
export async function startStreamedRead<C>(req: StreamedReadRequest<C>): Promise<Readable> {
  const { engine, logger } = req;
  const wrap = (thrown: unknown): Error =>
    wrapDriverError(
      thrown,
      { step: 'extract', what: req.what, password: req.password, signal: req.signal },
      engine.errors,
    );
  let conn: C;
  try {
    req.signal.throwIfAborted();
    conn = await engine.acquire();
  } catch (thrown) {
    throw wrap(thrown);
  }
  let stream: Readable | undefined;
  let done = false;
  const unlisten = engine.listen?.(conn, (err) => {
    logger.debug('extract connection error', { error: err.message });
    if (!done) stream?.destroy(wrap(err));
  });
  let released = false;
  const release = (discard: boolean) => {
    if (released) return;
    released = true;
    unlisten?.();
    if (discard) engine.discard(conn);
    else engine.release(conn);
  };
  const serverDone = () => {
    if (done || stream === undefined || stream.destroyed) return;
    done = true;
    engine.commit(conn).then(
      () => release(false),
      () => release(true),
    );
  };
  try {
    await req.begin(conn);
    const sql = await req.statement(conn);
    req.signal.throwIfAborted();
    stream = req.open(conn, sql, { serverDone, wrap });
  } catch (thrown) {
    release(true);
    throw wrap(thrown);
  }
  const opened = stream;
  opened.once('end', serverDone);
  opened.once('close', () => {
    if (!done) req.streams.track(abandon(req, conn, release));
  });
  opened.on('error', (err) => logger.debug('extract stream failed', { error: err.message }));
  onAbort(req, opened);
  return req.streams.add(opened);
}

/** An abort fails the stream with the SourceConnector contract's CancelledError, not Node's AbortError. */
function onAbort<C>(req: StreamedReadRequest<C>, stream: Readable): void {
  const abort = () => stream.destroy(new CancelledError(`${req.what}: cancelled`, { step: 'extract' }));
  req.signal.addEventListener('abort', abort, { once: true });
  stream.once('close', () => req.signal.removeEventListener('abort', abort));
}

async function abandon<C>(
  req: StreamedReadRequest<C>,
  conn: C,
  release: (discard: boolean) => void,
): Promise<void> {
  const failure = await req.engine.cancel(conn);
  if (failure)
    req.logger.warn('could not cancel the extract on the server; closing its connection', {
      error: failure.message,
    });
  // Discarding closes the socket while the statement runs, so the server session ends too.
  release(true);
}
