import { z } from 'zod';
import { AffinityLabel, ColumnName, ConnectionName, QualifiedTableName } from './identifiers.js';
import { checkReadOnlyQuery } from './read-only-sql.js';

export const FileFormat = z.enum(['parquet', 'csv']);
export type FileFormat = z.infer<typeof FileFormat>;

export const LoadMode = z.enum(['create', 'replace', 'append', 'truncate']);
export type LoadMode = z.infer<typeof LoadMode>;

export const ValidationLevel = z.enum(['count', 'schema', 'metrics', 'rows']);
export type ValidationLevel = z.infer<typeof ValidationLevel>;

const readOnlyQuery = z
  .string()
  .min(1)
  .max(100_000)
  .superRefine((sql, ctx) => {
    const check = checkReadOnlyQuery(sql);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: `query ${check.reason}` });
  });

// A WHERE predicate is checked as if it were `SELECT 1 WHERE <predicate>`.
const wherePredicate = z
  .string()
  .min(1)
  .max(10_000)
  .superRefine((predicate, ctx) => {
    const check = checkReadOnlyQuery(`SELECT 1 WHERE ${predicate}`);
    if (!check.ok)
      ctx.addIssue({
        code: 'custom',
        message: `where ${check.reason.replace('must start with SELECT or WITH', 'is not a predicate')}`,
      });
  });

export const SourceRef = z
  .strictObject({
    connection: ConnectionName,
    table: QualifiedTableName.optional(),
    query: readOnlyQuery.optional(),
    columns: z.array(ColumnName).min(1).max(4096).optional(),
    where: wherePredicate.optional(),
    key: z.array(ColumnName).min(1).max(32).optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.table === undefined) === (s.query === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of "table" or "query"', path: ['table'] });
    }
    if (s.query !== undefined && (s.columns !== undefined || s.where !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: '"columns" and "where" apply to "table" only; put them in the query',
        path: ['query'],
      });
    }
  });
export type SourceRef = z.infer<typeof SourceRef>;

export const StageRef = z.strictObject({
  connection: ConnectionName.optional(),
  // Relative folder inside the stage; no absolute paths or parent references.
  path: z
    .string()
    .max(1024)
    .regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9_./=-]*$/, {
      message: 'must be a relative path of letters, digits, _ . = - and /',
    })
    .optional(),
});
export type StageRef = z.infer<typeof StageRef>;

export const TargetRef = z.strictObject({
  connection: ConnectionName,
  table: QualifiedTableName,
  mode: LoadMode.default('create'),
});
export type TargetRef = z.infer<typeof TargetRef>;

export const ValidationSpec = z.strictObject({
  levels: z.array(ValidationLevel).min(1).default(['count']),
  key: z.array(ColumnName).min(1).max(32).optional(),
});
export type ValidationSpec = z.infer<typeof ValidationSpec>;

export const JobOptions = z.strictObject({
  partitions: z.union([z.literal('auto'), z.number().int().min(1).max(1024)]).optional(),
  /** Size of heap each partition aims at when `partitions` is "auto". */
  partition_size_mb: z.number().positive().max(65536).optional(),
  file_size_mb: z.number().positive().max(4096).default(128),
});
export type JobOptions = z.infer<typeof JobOptions>;

const common = {
  affinity: AffinityLabel.default('default'),
  name: z.string().max(200).optional(),
  options: JobOptions.default({ file_size_mb: 128 }),
};

export const ExtractJobSpec = z.strictObject({
  type: z.literal('extract'),
  ...common,
  source: SourceRef,
  stage: StageRef.optional(),
  format: FileFormat.optional(),
});

export const LoadJobSpec = z.strictObject({
  type: z.literal('load'),
  ...common,
  from_job: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'must be a job id' }),
  target: TargetRef,
});

export const MigrateJobSpec = z.strictObject({
  type: z.literal('migrate'),
  ...common,
  source: SourceRef,
  stage: StageRef.optional(),
  format: FileFormat.optional(),
  target: TargetRef,
  validation: ValidationSpec.optional(),
});

export const ValidateJobSpec = z.strictObject({
  type: z.literal('validate'),
  ...common,
  source: SourceRef,
  target: TargetRef.omit({ mode: true }),
  validation: ValidationSpec.default({ levels: ['count'] }),
});

export const JobSpec = z.discriminatedUnion('type', [
  ExtractJobSpec,
  LoadJobSpec,
  MigrateJobSpec,
  ValidateJobSpec,
]);
export type JobSpec = z.infer<typeof JobSpec>;
export type JobSpecInput = z.input<typeof JobSpec>;
export type JobType = JobSpec['type'];
export const JOB_TYPES = ['extract', 'load', 'migrate', 'validate'] as const satisfies readonly JobType[];
export type JobSpecOf<K extends JobType> = Extract<JobSpec, { type: K }>;

/** Names of every connection a job refers to, with the role each must have. */
export function connectionsOf(spec: JobSpec): { role: 'source' | 'stage' | 'target'; name: string }[] {
  const out: { role: 'source' | 'stage' | 'target'; name: string }[] = [];
  if ('source' in spec) out.push({ role: 'source', name: spec.source.connection });
  if ('stage' in spec && spec.stage?.connection) out.push({ role: 'stage', name: spec.stage.connection });
  if ('target' in spec) out.push({ role: 'target', name: spec.target.connection });
  return out;
}
