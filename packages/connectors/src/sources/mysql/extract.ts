import type { PoolConnection } from 'mysql2/promise';
import type { Readable } from 'node:stream';
import type { StreamControls } from '../../core/sql-kit/streamed-read.js';
import { CsvRows } from './csv.js';
import { coreConnection } from './session.js';
import type { FieldInfo } from './types.js';

/**
 * Runs the SELECT and streams its rows as interchange CSV (the kit's streamed read owns the
 * connection, the snapshot and cancellation). The connection is paused while the reader is full,
 * so the table is never buffered.
 */
export function openCsvQuery(
  conn: PoolConnection,
  sql: string,
  { serverDone, wrap }: StreamControls,
): Readable {
  // typeCast false hands every value over as raw bytes.
  // The promise wrapper's `connection` is the callback API's, whose query emits each row.
  const core = coreConnection(conn);
  // Rows go straight from the query's events into the CSV bytes: no object stream per row.
  const csv = new CsvRows(() => core.resume());
  const query = core.query({ sql, rowsAsArray: true, typeCast: false });
  // Server errors reach the query; a dropped socket the connection (the kit listens there).
  query.on('error', (err: Error) => csv.destroy(wrap(err)));
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
  query.once('end', () => {
    if (csv.destroyed) return;
    serverDone();
    csv.finish();
  });
  return csv;
}
