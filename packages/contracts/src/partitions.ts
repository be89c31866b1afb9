import { z } from 'zod';

/**
 * One slice of a table, as the source connector that planned it describes it. Travels in a
 * partition job's payload (parsed again by the worker that runs it) and turns into SQL only inside
 * the connector, with values bound as parameters.
 *
 * - `key`: rows whose key is ≥ `from` (when set) and < `to` (when set); `nulls` adds the rows whose
 *   key is NULL (the first slice carries them). Bounds are the key's text form.
 * - `pages`: rows stored in heap pages `from` ≤ page < `to` (no `to`: to the end of the table,
 *   pages added after planning included).
 * - `all`: the whole selection (a plan of one).
 */
export const PartitionBounds = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('key'),
    column: z.string().min(1).max(128),
    from: z.string().max(4096).nullable(),
    to: z.string().max(4096).nullable(),
    nulls: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal('pages'),
    from: z.number().int().min(0),
    to: z.number().int().min(1).nullable(),
  }),
  z.strictObject({ kind: z.literal('all') }),
]);
export type PartitionBounds = z.infer<typeof PartitionBounds>;

export const PartitionMethod = z.enum(['key', 'pages', 'single']);
export type PartitionMethod = z.infer<typeof PartitionMethod>;

/** How a source proposes to split one table. */
export type PartitionPlan = {
  method: PartitionMethod;
  /** The key column of a `key` plan. */
  key?: string;
  /** Why this method and count, for the job result (e.g. "no usable key; 12 page ranges of ~128 MB"). */
  reason: string;
  bounds: PartitionBounds[];
  estimatedRows?: number;
  estimatedBytes?: number;
};

/** Short human-readable form of a slice, for job views and errors. */
export function describeBounds(bounds: PartitionBounds): string {
  switch (bounds.kind) {
    case 'all':
      return 'all rows';
    case 'pages':
      return `pages ${bounds.from}–${bounds.to === null ? 'end' : bounds.to - 1}`;
    case 'key': {
      const from = bounds.from === null ? '' : `${bounds.column} ≥ ${bounds.from}`;
      const to = bounds.to === null ? '' : `${bounds.column} < ${bounds.to}`;
      const range = [from, to].filter((s) => s.length > 0).join(' and ') || 'all keys';
      return bounds.nulls ? `${range}, and NULL ${bounds.column}` : range;
    }
  }
}

export const PartitionState = z.enum(['queued', 'active', 'completed', 'failed', 'cancelled']);
export type PartitionState = z.infer<typeof PartitionState>;

/** A staged part file of one partition (names are relative to the job's stage folder). */
export const PartitionFile = z.object({
  name: z.string(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
});
export type PartitionFile = z.infer<typeof PartitionFile>;

/** One partition of a partitioned extract, as the job record keeps it (`partitions.<index>`). */
export const PartitionEntry = z.object({
  index: z.number().int().nonnegative(),
  /** Which planning of the parent job it belongs to; a re-planned job ignores older generations. */
  generation: z.number().int().positive(),
  state: PartitionState,
  /** Human-readable slice (describeBounds). */
  range: z.string(),
  worker: z.string().optional(),
  /** Attempts started, a takeover after a lost worker included. */
  attempts: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  files: z.array(PartitionFile).optional(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type PartitionEntry = z.infer<typeof PartitionEntry>;

/**
 * How the rows of a partitioned extract relate in time: `snapshot` when every partition read one
 * exported snapshot; `none` when the source cannot share one (each partition saw its own moment).
 */
export const PartitionConsistency = z.enum(['snapshot', 'none']);

/** What an extract result says about partitioning. */
export const ExtractPartitions = z.object({
  count: z.number().int().positive(),
  method: PartitionMethod,
  key: z.string().optional(),
  reason: z.string(),
  consistency: PartitionConsistency,
  /** Present when consistency is not `snapshot`: why, in words. */
  consistency_note: z.string().optional(),
  /** Partitions that had to be read more than once (a lost worker), by index. */
  reread: z.array(z.number().int()).optional(),
});
export type ExtractPartitions = z.infer<typeof ExtractPartitions>;
