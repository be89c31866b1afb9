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

/** Reference CSV parser (character by character, RFC 4180 with `""`): rows of fields, null for unquoted empty. */
export function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
      wasQuoted = true;
    } else if (quoted || (c !== ',' && c !== '\n')) {
      field += c;
    } else {
      row.push(field === '' && !wasQuoted ? null : field);
      field = '';
      wasQuoted = false;
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    }
  }
  if (quoted || field !== '' || row.length > 0) throw new Error('CSV does not end at a row boundary');
  return rows;
}

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
