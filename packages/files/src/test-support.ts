// Helpers shared by this package's tests (not exported from the package).
import { Readable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';

/** The input cut into chunks of `size` bytes, as a byte stream. */
export function chunked(data: Buffer, size: number): Readable {
  function* chunks(): Generator<Buffer> {
    for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
  }
  return Readable.from(chunks(), { objectMode: false });
}

export { parseCsv } from '@dxa/testing';

/** Runs a query on a fresh in-memory DuckDB; values come back as JSON-friendly values. */
export async function duckdbRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
