import { z } from 'zod';
import {
  ConnectionName,
  FileFormat,
  LOGICAL_TYPES,
  PartitionBounds,
  SourceRef,
  type Column,
} from '@dxa/contracts';

/** BullMQ job name of a partition on a label's partition queue. */
export const PARTITION_JOB_NAME = 'extract-partition';

const ColumnSchema = z.object({
  name: z.string().min(1),
  sourceType: z.string(),
  type: z.enum(LOGICAL_TYPES),
  nullable: z.boolean(),
  precision: z.number().int().optional(),
  scale: z.number().int().optional(),
}) satisfies z.ZodType<Column>;

/**
 * What one partition job carries: everything needed to read its slice and stage it, and nothing
 * secret (connections are names; the worker holds their credentials). Parsed again by the worker
 * that takes it: Redis is a trust boundary like the API.
 */
export const PartitionJobData = z.strictObject({
  parent: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  generation: z.number().int().positive(),
  index: z.number().int().nonnegative(),
  count: z.number().int().positive(),
  source: SourceRef,
  /** Described once by the coordinator, so every slice writes the same columns. */
  columns: z.array(ColumnSchema).min(1),
  bounds: PartitionBounds,
  /** Exported snapshot to read through; absent when the source cannot share one. */
  snapshot: z.string().max(200).optional(),
  stage: z.strictObject({ connection: ConnectionName, prefix: z.string().max(2048) }),
  format: FileFormat,
  fileSizeMb: z.number().positive(),
});
export type PartitionJobData = z.infer<typeof PartitionJobData>;

/** `<parent>-g<generation>-p<index>`: stable, so queueing the same partition twice is a no-op. */
export function partitionJobId(data: Pick<PartitionJobData, 'parent' | 'generation' | 'index'>): string {
  return `${data.parent}-g${data.generation}-p${data.index}`;
}

/** Staged names of a partition's files start with this, so one partition's files can be removed alone. */
export function partitionFilePrefix(data: Pick<PartitionJobData, 'generation' | 'index'>): string {
  return `g${data.generation}-p${String(data.index).padStart(4, '0')}-`;
}

/** What a finished partition job returns to its parent (BullMQ keeps it as the child's value). */
export type PartitionJobResult = { state: 'completed' | 'superseded'; rows: number };
