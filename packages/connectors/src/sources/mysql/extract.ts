import type { Connection as CoreConnection } from 'mysql2';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2/promise';
import type { Readable } from 'node:stream';
import { CancelledError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import { CsvEncoder } from './csv.js';
import { beginSnapshot, killThread } from './session.js';
import type { FieldInfo } from './types.js';

export type ExtractRequest = {
  pool: Pool;
  options: PoolOptions;
  /** Builds the SELECT inside the snapshot (it reads the catalog first). */
  statement: (conn: PoolConnection) => Promise<string>;
  signal: AbortSignal;
  logger: Logger;
  /** What is extracted, for the cancellation message. */
  what: string;
  /** Wraps driver errors; the stream fails with the wrapped error. */
  wrap: (thrown: unknown) => Error;
  /** Registers the clean-up of an abandoned extract so close() can wait for it. */
  track: (cleanup: Promise<void>) => void;
};

/**
 * Streams a SELECT on its own connection in a read-only snapshot as interchange CSV. mysql2's row
 * stream pauses the socket when the encoder's buffer is full, so the table is never buffered. When
 * the rows end the snapshot commits and the connection goes back to the pool; if the CSV stream is
 * destroyed first (abort, close, consumer or value failure) the server thread is killed and the
 * connection destroyed, so nothing is left running.
 */
export async function startExtract(req: ExtractRequest): Promise<Readable> {
  let conn: PoolConnection;
  try {
    req.signal.throwIfAborted();
    conn = await req.pool.getConnection();
  } catch (thrown) {
    throw req.wrap(thrown);
  }
  let sql: string;
  try {
    await beginSnapshot(conn);
    sql = await req.statement(conn);
    req.signal.throwIfAborted();
  } catch (thrown) {
    conn.destroy();
    throw req.wrap(thrown);
  }
  const csv = new CsvEncoder();
  // typeCast false hands every value over as raw bytes.
  // The promise wrapper's `connection` is the callback API's, whose query object streams.
  const core = conn.connection as unknown as CoreConnection;
  const query = core.query({ sql, rowsAsArray: true, typeCast: false });
  const rows = query.stream({ highWaterMark: 512 });
  const fail = (err: Error) => csv.destroy(req.wrap(err));
  // Server errors reach the query; a dropped socket only the connection (a streaming query has no
  // callback to hand it to). The query keeps a listener after its stream is gone.
  query.on('error', () => undefined);
  core.on('error', fail);
  rows.on('fields', (fields: FieldInfo[]) => csv.setFields(fields));
  rows.on('error', fail);
  rows.pipe(csv);

  let ended = false;
  rows.once('end', () => {
    ended = true;
    core.off('error', fail);
    conn.query('COMMIT').then(
      () => conn.release(),
      () => conn.destroy(),
    );
  });
  const onAbort = () => csv.destroy(new CancelledError(`${req.what}: cancelled`, { step: 'extract' }));
  req.signal.addEventListener('abort', onAbort, { once: true });
  csv.once('close', () => {
    req.signal.removeEventListener('abort', onAbort);
    if (!ended) {
      rows.unpipe(csv);
      req.track(abandon(req, conn, rows));
    }
  });
  csv.on('error', (err) => req.logger.debug('mysql extract stream failed', { error: err.message }));
  return csv;
}

async function abandon(req: ExtractRequest, conn: PoolConnection, rows: Readable): Promise<void> {
  const failure = await killThread(req.options, conn.threadId);
  if (failure)
    req.logger.warn('could not kill the extract on the server; closing its connection', {
      error: failure.message,
    });
  rows.destroy();
  // A destroyed connection leaves the pool; its socket closes, so the server thread ends too.
  conn.destroy();
}
