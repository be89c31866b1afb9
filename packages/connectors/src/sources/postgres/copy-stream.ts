import type { Pool, PoolClient, PoolConfig } from 'pg';
import type { Readable } from 'node:stream';
import type { Logger } from '@dxa/logger';
import { CopyOutStream } from './copy-out.js';
import { BEGIN_EXTRACT, cancelBackend } from './session.js';

export type CopyRequest = {
  pool: Pool;
  config: PoolConfig;
  /** Builds the COPY statement inside the snapshot (it may read the catalog first). */
  statement: (client: PoolClient) => Promise<string>;
  signal: AbortSignal;
  logger: Logger;
  /** Wraps driver errors; the stream fails with the wrapped error. */
  wrap: (thrown: unknown) => Error;
  /** Registers the clean-up of an abandoned COPY so close() can wait for it. */
  track: (cleanup: Promise<void>) => void;
};

/**
 * Runs `COPY … TO STDOUT` on its own connection in a read-only snapshot and returns the stream.
 * When the stream ends the transaction commits and the connection goes back to the pool. If the
 * stream is destroyed first (abort, consumer failure, server error) the statement is cancelled
 * and the connection destroyed, so neither a backend nor a client is left behind.
 */
export async function startCopy(req: CopyRequest): Promise<Readable> {
  let client: PoolClient;
  try {
    req.signal.throwIfAborted();
    client = await req.pool.connect();
  } catch (thrown) {
    throw req.wrap(thrown);
  }
  // A checked-out client has no pool listener; a socket error must not crash the process.
  const onClientError = (err: Error) =>
    req.logger.debug('postgres extract connection error', { error: err.message });
  client.on('error', onClientError);
  let released = false;
  const release = (destroy: boolean) => {
    if (released) return;
    released = true;
    client.removeListener('error', onClientError);
    client.release(destroy ? new Error('abandoned COPY') : undefined);
  };
  let copy: CopyOutStream;
  try {
    await client.query(BEGIN_EXTRACT);
    const sql = await req.statement(client);
    req.signal.throwIfAborted();
    // Server and socket errors reach the stream through pg, wrapped once there.
    copy = client.query(new CopyOutStream(sql, { highWaterMark: 1 << 20, wrapError: req.wrap }));
  } catch (thrown) {
    release(true);
    throw req.wrap(thrown);
  }
  let ended = false;
  copy.once('end', () => {
    ended = true;
    client.query('COMMIT').then(
      () => release(false),
      () => release(true),
    );
  });
  copy.once('close', () => {
    if (!ended) req.track(abandon(req, client, release));
  });
  copy.on('error', (err) => req.logger.debug('postgres COPY stream failed', { error: err.message }));
  // The stream fails with the CancelledError of the SourceConnector contract, not Node's AbortError.
  const onAbort = () => copy.destroy(req.wrap(req.signal.reason));
  req.signal.addEventListener('abort', onAbort, { once: true });
  copy.once('close', () => req.signal.removeEventListener('abort', onAbort));
  return copy;
}

async function abandon(
  req: CopyRequest,
  client: PoolClient,
  release: (destroy: boolean) => void,
): Promise<void> {
  const pid = (client as unknown as { processID?: unknown }).processID;
  if (typeof pid === 'number') {
    const failure = await cancelBackend(req.config, pid);
    if (failure)
      req.logger.warn('could not cancel the COPY on the server; closing its connection', {
        error: failure.message,
      });
  }
  // pg's end() destroys the socket while a query is active, so the backend cannot linger.
  release(true);
}
