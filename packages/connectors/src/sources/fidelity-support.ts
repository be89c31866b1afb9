import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SourceRef } from '@dxa/contracts';
import {
  duckdbReadCsvSql,
  quoteDuckdbString,
  writeCsvGzipParts,
  writeParquetParts,
  type WrittenFile,
} from '@dxa/files';
import type { SourceConnector } from '../core/types.js';

// Test support for the sources' fidelity tests: extract → part files → read back with DuckDB.

/** A value to compare: its column name and the DuckDB expression that prints it as text. */
export type DuckdbProbe = { name: string; duck: string };

/** Each probe's value, as text, of the rows DuckDB reads from `from` (a SELECT), ordered by id. */
export async function duckdbProbeRows(probes: DuckdbProbe[], from: string): Promise<(string | null)[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const sql = `SELECT ${probes.map((p) => `${p.duck} AS "${p.name}"`).join(', ')} FROM (${from}) ORDER BY id`;
    const reader = await connection.runAndReadAll(sql);
    return reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Extracts `ref` into parts of `format` (256 kB each, so there are several) in `dir`; returns
 * them with the DuckDB SELECT that reads them back as the loaders do.
 */
export async function extractToParts(
  source: SourceConnector,
  ref: SourceRef,
  dir: string,
  format: 'parquet' | 'csv',
): Promise<{ files: WrittenFile[]; readBack: string }> {
  const ctx = { signal: new AbortController().signal };
  const { columns } = await source.describe(ref, ctx);
  const write = format === 'parquet' ? writeParquetParts : writeCsvGzipParts;
  const files = await write({
    input: await source.extractCsv(ref, columns, ctx),
    columns,
    dir,
    fileSizeBytes: 256 * 1024,
    signal: ctx.signal,
  });
  const readBack =
    format === 'parquet'
      ? `SELECT * FROM read_parquet(${quoteDuckdbString(join(dir, '*.parquet'))})`
      : duckdbReadCsvSql(
          files.map((f) => f.localPath),
          columns,
        );
  return { files, readBack };
}
