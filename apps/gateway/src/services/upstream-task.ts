import { z } from 'zod';
import { AppError } from '@dxa/errors';
import { issueDetails } from './spec-validation.js';

const text = z.union([z.string(), z.number()]).transform(String);

/** The upstream agent's task (`POST /tasks`); extra keys are ignored as upstream clients send more. */
export const UpstreamTask = z.object({
  id: text.optional(),
  engine: z.string().min(1),
  database: text.optional(),
  schema: text.optional(),
  statement: z.string().min(1),
  source_type: z.string().optional(),
  upload_type: z.string().min(1).optional(),
  upload_path: z.string().optional(),
});
export type UpstreamTask = z.infer<typeof UpstreamTask>;

/**
 * An upstream task becomes an `extract` job: engine → source connection, statement → query,
 * upload_type → stage connection, upload_path → stage path. The result is validated like any job.
 */
export function taskToJobBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('BAD_REQUEST', 'the request body must be a JSON object describing a task');
  }
  const parsed = UpstreamTask.safeParse(body);
  if (!parsed.success) {
    const details = issueDetails(parsed.error.issues);
    throw new AppError(
      'VALIDATION_FAILED',
      `invalid task: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  const task = parsed.data;
  const stage: Record<string, string> = {};
  if (task.upload_type) stage.connection = task.upload_type;
  if (task.upload_path) stage.path = task.upload_path.replace(/^\/+/, '');
  const label = [task.id && `task ${task.id}`, task.database, task.schema].filter(Boolean).join(' ');
  return {
    type: 'extract',
    ...(label ? { name: label.slice(0, 200) } : {}),
    source: { connection: task.engine, query: task.statement },
    ...(Object.keys(stage).length > 0 ? { stage } : {}),
  };
}
