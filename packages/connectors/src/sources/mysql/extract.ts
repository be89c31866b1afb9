import type { Connection as CoreConnection } from 'mysql2';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2/promise';
import type { Readable } from 'node:stream';
import { CancelledError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import { CsvRows } from './csv.js';
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
 * Streams a SELECT on its own connection in a read-only snapshot as interchange CSV. The
 * connection is paused while the reader is full, so the table is never buffered. When
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
  // typeCast false hands every value over as raw bytes.
  // The promise wrapper's `connection` is the callback API's, whose query emits each row.
  const core = conn.connection as unknown as CoreConnection;
  // Rows go straight from the query's events into the CSV bytes: no object stream per row.
  const csv = new CsvRows(() => core.resume());
  const query = core.query({ sql, rowsAsArray: true, typeCast: false });
  const fail = (err: Error) => csv.destroy(req.wrap(err));
  // Server errors reach the query; a dropped socket only the connection (a streaming query has no
  // callback to hand it to).
  query.on('error', fail);
  core.on('error', fail);
  query.on('fields', (fields: FieldInfo[]) => {
    if (!csv.destroyed) csv.setFields(fields);
  });
  query.on('result', (row: (Buffer | null)[]) => {
    if (csv.destroyed) return;
    try {
      if (!csv.addRow(row)) core.pause();
    } catch (thrown) {
      csv.destroy(thrown as Error);
    }
  });

  let ended = false;
  query.once('end', () => {
    if (csv.destroyed) return;
    ended = true;
    core.off('error', fail);
    csv.finish();
    conn.query('COMMIT').then(
      () => conn.release(),
      () => conn.destroy(),
    );
  });
  const onAbort = () => csv.destroy(new CancelledError(`${req.what}: cancelled`, { step: 'extract' }));
  req.signal.addEventListener('abort', onAbort, { once: true });
  csv.once('close', () => {
    req.signal.removeEventListener('abort', onAbort);
    if (!ended) req.track(abandon(req, conn));
  });
  csv.on('error', (err) => req.logger.debug('mysql extract stream failed', { error: err.message }));
  return csv;
}

async function abandon(req: ExtractRequest, conn: PoolConnection): Promise<void> {
  const failure = await killThread(req.options, conn.threadId);
  if (failure)
    req.logger.warn('could not kill the extract on the server; closing its connection', {
      error: failure.message,
    });
  // A destroyed connection leaves the pool; its socket closes, so the server thread ends too.
  conn.destroy();
}
