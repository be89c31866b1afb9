import { z } from 'zod';
import { describeTarget } from '../../core/describe.js';

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
  capabilities: { formats: ['parquet', 'csv'], stages: ['local'], transactional: true },
  load: async () => {
    const { createDuckdbDestination } = await import('./destination.js');
    return (connection, deps) => createDuckdbDestination(connection, deps.logger);
  },
});
