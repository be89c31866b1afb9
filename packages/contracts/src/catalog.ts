import type { z } from 'zod';
import { ExtractJobSpec, LoadJobSpec, MigrateJobSpec, ValidateJobSpec, type JobType } from './job-spec.js';

export type CatalogEntry<S extends z.ZodType> = {
  schema: S;
  /** Attempts for transient failures (terminal errors never retry). */
  attempts: number;
  /** Base delay of the exponential backoff between attempts. */
  backoffMs: number;
  description: string;
};

/** The one job catalog: gateway validates with it, the worker re-parses with it and maps handlers to it. */
export const jobCatalog = {
  extract: { schema: ExtractJobSpec, attempts: 3, backoffMs: 2_000, description: 'source to staged files' },
  load: { schema: LoadJobSpec, attempts: 3, backoffMs: 2_000, description: 'staged files to target' },
  migrate: { schema: MigrateJobSpec, attempts: 3, backoffMs: 2_000, description: 'extract, load and check' },
  validate: { schema: ValidateJobSpec, attempts: 2, backoffMs: 2_000, description: 'source against target' },
} as const satisfies { [K in JobType]: CatalogEntry<z.ZodType> };

export type JobCatalog = typeof jobCatalog;
