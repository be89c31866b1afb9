import { z } from 'zod';
import type { DriverErrorTable } from '@dxa/errors';
import { describeTarget } from '../../core/describe.js';

/** DuckDB's message when another process holds the database file. */
export const DUCKDB_LOCK_ERROR = /Could not set lock on file|Conflicting lock/i;

/** @duckdb/node-api errors carry no code; the one worth a retry is another process holding the file. */
export const duckdbDriverErrors: DriverErrorTable = {
  driver: '@duckdb/node-api',
  field: 'code',
  owns: () => false,
  terminal: {},
  messages: [{ pattern: DUCKDB_LOCK_ERROR, kind: 'transient', code: 'LOAD_ERROR' }],
};

export const DuckdbTarget = z.strictObject({
  type: z.literal('duckdb'),
  path: z.string().min(1).default('./.dxa/warehouse.duckdb'),
  /** DuckDB's memory cap while loading; it spills to disk beyond it, so a worker's memory stays bounded. */
  memory_limit: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, { message: 'must be a size like "256MB"' })
    .default('128MB'),
});
export type DuckdbTarget = z.infer<typeof DuckdbTarget>;

export const duckdbTarget = describeTarget({
  role: 'target',
  kind: 'duckdb',
  title: 'DuckDB',
  config: DuckdbTarget,
  // Local files in place; any other stage's parts fetched one at a time inside the load transaction.
  capabilities: {
    formats: ['parquet', 'csv'],
    stages: ['local', 's3', 'azure_blob', 'snowflake_stage'],
    transactional: true,
  },
  driverErrors: duckdbDriverErrors,
  load: async () => {
    const { createDuckdbDestination } = await import('./destination.js');
    return (connection, deps) => createDuckdbDestination(connection, deps.logger);
  },
});
