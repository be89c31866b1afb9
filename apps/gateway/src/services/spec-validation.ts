import type { z } from 'zod';
import { JOB_TYPES, jobCatalog, type JobSpec, type JobType } from '@dxa/contracts';
import { AppError, type ErrorDetail } from '@dxa/errors';

function isJobType(value: unknown): value is JobType {
  return typeof value === 'string' && (JOB_TYPES as readonly string[]).includes(value);
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** One detail per problem, with a dotted path such as `source.query`; unknown keys get one each. */
export function issueDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.flatMap((issue): ErrorDetail[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: 'unknown key' }));
    }
    return [{ path: joinPath(issue.path), message: issue.message }];
  });
}

function summary(details: ErrorDetail[]): string {
  const shown = details.slice(0, 3).map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
  const more = details.length > 3 ? ` (and ${details.length - 3} more)` : '';
  return `invalid job: ${shown.join('; ')}${more}`;
}

/**
 * Turns a request body into a job spec, or an AppError saying exactly what is wrong:
 * BAD_REQUEST (not an object), UNKNOWN_JOB_TYPE, VALIDATION_FAILED (with one detail per issue).
 */
export function parseJobSpec(body: unknown): JobSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('BAD_REQUEST', 'the request body must be a JSON object describing a job');
  }
  const type = (body as { type?: unknown }).type;
  if (type === undefined) {
    throw new AppError(
      'VALIDATION_FAILED',
      `invalid job: type is required (one of ${JOB_TYPES.join(', ')})`,
      [{ path: 'type', message: `required: one of ${JOB_TYPES.join(', ')}` }],
    );
  }
  if (!isJobType(type)) {
    const shown =
      typeof type === 'string'
        ? `"${type.slice(0, 100)}"`
        : (JSON.stringify(type) ?? typeof type).slice(0, 100);
    throw new AppError(
      'UNKNOWN_JOB_TYPE',
      `unknown job type ${shown}; valid types: ${JOB_TYPES.join(', ')}`,
      [{ path: 'type', message: `must be one of ${JOB_TYPES.join(', ')}` }],
    );
  }
  const parsed = jobCatalog[type].schema.safeParse(body);
  if (!parsed.success) {
    const details = issueDetails(parsed.error.issues);
    throw new AppError('VALIDATION_FAILED', summary(details), details);
  }
  return parsed.data;
}
