import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { TerminalError } from '@dxa/errors';
import type { EncodeColumn, Manifest, WrittenFile } from './types.js';

// File names become paths in the stage, so they may not climb out of the job folder.
const FileName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/, { message: 'must be a plain file name' })
  .refine((name) => !name.includes('..'), { message: 'must be a plain file name' });

const Count = z.number().int().nonnegative();

export const ManifestSchema = z
  .object({
    version: z.literal(1),
    job_id: z.string().min(1),
    format: z.enum(['parquet', 'csv']),
    created_at: z.iso.datetime(),
    rows: Count,
    columns: z
      .array(
        z.object({
          name: z.string().min(1),
          type: z.string().min(1),
          nullable: z.boolean(),
          precision: z.number().int().positive().optional(),
          scale: z.number().int().optional(),
          source_type: z.string(),
        }),
      )
      .min(1),
    files: z.array(
      z.object({ name: FileName, rows: Count, bytes: Count, sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    ),
  })
  .superRefine((m, ctx) => {
    const sum = m.files.reduce((total, f) => total + f.rows, 0);
    if (sum !== m.rows)
      ctx.addIssue({
        code: 'custom',
        path: ['rows'],
        message: `is ${m.rows} but the files hold ${sum} rows`,
      });
  }) satisfies z.ZodType<Manifest>;

export type ManifestColumn = EncodeColumn & { nullable: boolean; sourceType: string };

export type BuildManifestInput = {
  jobId: string;
  format: Manifest['format'];
  columns: ManifestColumn[];
  files: Pick<WrittenFile, 'name' | 'rows' | 'bytes' | 'sha256'>[];
  createdAt?: Date;
};

/** The manifest written next to the parts: what was staged, proven by row counts and hashes. */
export function buildManifest(input: BuildManifestInput): Manifest {
  return {
    version: 1,
    job_id: input.jobId,
    format: input.format,
    created_at: (input.createdAt ?? new Date()).toISOString(),
    rows: input.files.reduce((total, f) => total + f.rows, 0),
    columns: input.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      ...(c.precision === undefined ? {} : { precision: c.precision }),
      ...(c.scale === undefined ? {} : { scale: c.scale }),
      source_type: c.sourceType,
    })),
    files: input.files.map((f) => ({ name: f.name, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
  };
}

/** Parses a staged manifest; anything malformed is an integrity error, never retried. */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TerminalError('INTEGRITY_ERROR', 'the manifest is not valid JSON');
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new TerminalError(
      'INTEGRITY_ERROR',
      `the manifest is invalid: ${where}${issue?.message ?? 'unknown problem'}`,
    );
  }
  return parsed.data;
}

/** Hex sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
