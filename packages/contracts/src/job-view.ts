import { z } from 'zod';
import { JobSpec } from './job-spec.js';
import { ExtractPartitions, PartitionEntry } from './partitions.js';

export const JobState = z.enum(['queued', 'active', 'completed', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;
export const TERMINAL_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];

export const Phase = z.enum(['extract', 'load', 'validate']);
export type Phase = z.infer<typeof Phase>;

export const Progress = z.object({
  phase: Phase,
  rows: z.number(),
  bytes: z.number(),
  files: z.number(),
  total_rows_estimate: z.number().optional(),
  rows_per_second: z.number(),
  eta_seconds: z.number().optional(),
});
export type Progress = z.infer<typeof Progress>;

export const StagedFile = z.object({
  path: z.string(),
  rows: z.number(),
  bytes: z.number(),
  sha256: z.string(),
});
export type StagedFile = z.infer<typeof StagedFile>;

export const ExtractResult = z.object({
  rows: z.number(),
  files: z.array(StagedFile),
  format: z.enum(['parquet', 'csv']),
  stage: z.object({ connection: z.string(), path: z.string() }),
  manifest: z.string(),
  columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean() })),
  /** Present when the extract ran as partitions (`options.partitions`). */
  partitions: ExtractPartitions.optional(),
});
export type ExtractResult = z.infer<typeof ExtractResult>;

export const LoadResult = z.object({ rows: z.number(), table: z.string(), mode: z.string() });
export type LoadResult = z.infer<typeof LoadResult>;

export const ValidationDifference = z.record(z.string(), z.unknown());
export const LevelResult = z.object({
  // "skipped": the level was requested but this version cannot run it; `reason` says why.
  status: z.enum(['passed', 'failed', 'skipped']),
  differences: z.array(ValidationDifference),
  reason: z.string().optional(),
});
export const ValidationResult = z.object({
  status: z.enum(['passed', 'failed']),
  count: z
    .object({ status: z.enum(['passed', 'failed']), source_rows: z.number(), target_rows: z.number() })
    .optional(),
  schema: LevelResult.optional(),
  metrics: LevelResult.optional(),
  rows: LevelResult.extend({
    source_rows: z.number(),
    target_rows: z.number(),
    truncated: z.boolean(),
  }).optional(),
  /** Where the run's report files were put (stage locations, or local paths for a validate job). */
  report: z
    .object({
      json: z.string(),
      markdown: z.string(),
      differences_csv: z.string(),
      source_sql: z.string(),
      target_sql: z.string(),
    })
    .optional(),
});
export type ValidationResult = z.infer<typeof ValidationResult>;

export const JobResult = z.object({
  extract: ExtractResult.optional(),
  load: LoadResult.optional(),
  validation: ValidationResult.optional(),
});
export type JobResult = z.infer<typeof JobResult>;

/** What every finished step records: the attempt that finished it and when. */
const StepDone = {
  status: z.literal('completed'),
  finished_at: z.string(),
  attempt: z.number(),
};
/** Source → local part files. */
export const ExtractStep = z.object({ ...StepDone, rows: z.number(), files: z.number(), bytes: z.number() });
/** Part files on the stage and the manifest written: a retry can load them without the source. */
export const StageStep = z.object({
  ...StepDone,
  connection: z.string(),
  manifest: z.string(),
  rows: z.number(),
  files: z.number(),
  bytes: z.number(),
});
/** The destination load committed. */
export const LoadStep = z.object({
  ...StepDone,
  rows: z.number(),
  table: z.string(),
  mode: z.string(),
  files: z.number(),
});
export const ValidateStep = z.object({ ...StepDone, validation: z.enum(['passed', 'failed']) });
export const JobSteps = z.object({
  extract: ExtractStep.optional(),
  stage: StageStep.optional(),
  load: LoadStep.optional(),
  validate: ValidateStep.optional(),
});
export type JobSteps = z.infer<typeof JobSteps>;
export type StepName = keyof JobSteps;
export const STEP_NAMES = ['extract', 'stage', 'load', 'validate'] as const satisfies readonly StepName[];

export const JobError = z.object({ code: z.string(), message: z.string(), step: z.string().optional() });
export type JobError = z.infer<typeof JobError>;

/** What `GET /v1/jobs/{id}` and `dxa status` show. */
export const JobView = z.object({
  id: z.string(),
  type: z.enum(['extract', 'load', 'migrate', 'validate']),
  name: z.string().optional(),
  state: JobState,
  affinity: z.string(),
  worker: z.string().optional(),
  attempts: z.number(),
  waiting_for: z.string().optional(),
  created_at: z.string(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  progress: Progress.optional(),
  result: JobResult.optional(),
  /** The steps finished so far, across attempts (a retry re-uses what they finished). */
  steps: JobSteps.optional(),
  /** The partitions of a partitioned extract (their file lists are in the manifest, not here). */
  partitions: z.array(PartitionEntry.omit({ files: true })).optional(),
  error: JobError.optional(),
  spec: JobSpec,
});
export type JobView = z.infer<typeof JobView>;

/** A live worker as listed by `GET /v1/workers`. */
export const WorkerInfo = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number(),
  affinities: z.array(z.string()),
  concurrency: z.number(),
  active_jobs: z.array(z.string()),
  connections: z.array(z.string()),
  /** `role:name` → connection type, so the gateway can check a job against connections only workers hold. */
  connection_kinds: z.record(z.string(), z.string()).optional(),
  started_at: z.string(),
  last_heartbeat: z.string(),
  version: z.string(),
  draining: z.boolean(),
});
export type WorkerInfo = z.infer<typeof WorkerInfo>;

/** Server-sent event names of `GET /v1/jobs/{id}/events`. */
export const JobEventName = z.enum(['progress', 'completed', 'failed', 'cancelled', 'state']);
export type JobEventName = z.infer<typeof JobEventName>;
