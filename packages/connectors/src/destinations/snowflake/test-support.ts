// Helpers for the Snowflake integration tests (tests/snowflake): a PostgreSQL source table written
// as staged parts by the real source and part writers, as a job's extract would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PostgresConnection } from '../../sources/postgres/description.js';
import { writeCsvGzipParts, writeParquetParts } from '@dxa/files';
import { createLogger } from '@dxa/logger';
import { createTestDatabase, type TestDatabase } from '@dxa/testing';
import type { Column, LoadFile, RunContext, StageConnector } from '../../core/types.js';
import { createPostgresSource } from '../../sources/postgres/index.js';
import { pgConnection } from '../../sources/postgres/test-support.js';
import { createLocalStage } from '../../stages/local/index.js';

export const logger = createLogger('snowflake-test');
export const ctx: RunContext = { signal: new AbortController().signal };

export type PartsFixture = {
  db: TestDatabase;
  pg: PostgresConnection;
  columns: Column[];
  dir: string;
  /** A local stage holding `parquet/part-*.parquet` and `csv/part-*.csv.gz`. */
  stage: StageConnector;
  parts: Record<'csv' | 'parquet', LoadFile[]>;
  cleanup(): Promise<void>;
};

async function writeParts(
  pg: PostgresConnection,
  table: string,
  columns: Column[],
  dir: string,
  format: 'csv' | 'parquet',
  fileSizeBytes: number,
): Promise<LoadFile[]> {
  const source = createPostgresSource(pg, logger);
  try {
    const writer = format === 'csv' ? writeCsvGzipParts : writeParquetParts;
    const files = await writer({
      input: await source.extractCsv({ connection: 'pg', table }, columns, ctx),
      columns,
      dir: path.join(dir, 'stage', format),
      fileSizeBytes,
      signal: ctx.signal,
    });
    return files.map((f) => ({ relPath: `${format}/${f.name}`, localPath: undefined, rows: f.rows }));
  } finally {
    await source.close();
  }
}

/** Creates `table` in a fresh database with `sql`, then writes it as Parquet and CSV parts. */
export async function makePartsFixture(
  sql: string,
  table = 'src',
  fileSizeBytes = 16 * 1024,
): Promise<PartsFixture> {
  const db = await createTestDatabase('sf');
  await db.query(sql);
  const pg = pgConnection(db);
  const dir = await mkdtemp(path.join(tmpdir(), 'dxa-sf-parts-'));
  const stage = createLocalStage({ type: 'local', path: path.join(dir, 'stage') }, logger);
  const source = createPostgresSource(pg, logger);
  const { columns } = await source.describe({ connection: 'pg', table }, ctx).finally(() => source.close());
  const parts = {
    csv: await writeParts(pg, table, columns, dir, 'csv', fileSizeBytes),
    parquet: await writeParts(pg, table, columns, dir, 'parquet', fileSizeBytes),
  };
  return {
    db,
    pg,
    columns,
    dir,
    stage,
    parts,
    async cleanup() {
      await stage.close();
      await rm(dir, { recursive: true, force: true });
      await db.drop();
    },
  };
}
