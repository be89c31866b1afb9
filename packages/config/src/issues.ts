import type { z } from 'zod';
import { ConfigError, formatKey, suggestKey } from './config-error.js';
import { ConfigSchema } from './schema.js';
import { describeExpected, knownKeys, schemaAt, valueAt } from './schema-walk.js';
import { REDACTED, SECRET_KEY_PATTERN } from './secret.js';

type Path = readonly PropertyKey[];

/** Where a value came from, for the start of an error message. */
export type Origin = { label: string; file?: string; envVar?: string };

export type IssueContext = { data: unknown; originOf: (path: Path) => Origin };

function describeReceived(value: unknown, secret: boolean): string {
  if (value === null) return 'null';
  if (value instanceof Date) return 'a date';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a table';
  if (secret) return JSON.stringify(REDACTED);
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return typeof value;
}

/** `keyPath` is the offending key; the message names `path`, the table that holds it. */
function build(
  origin: Origin,
  path: Path,
  text: string,
  expected: string,
  keyPath: Path = path,
): ConfigError {
  const where = formatKey(path);
  const key = formatKey(keyPath);
  const prefix = where === '' ? origin.label : `${origin.label}: ${where}`;
  return new ConfigError(`${prefix}: ${text}`, {
    file: origin.file,
    key: key === '' ? undefined : key,
    expected,
    envVar: origin.envVar,
  });
}

function unknownKeys(issue: z.core.$ZodIssueUnrecognizedKeys, ctx: IssueContext): ConfigError {
  const [first = ''] = issue.keys;
  const known = knownKeys(ConfigSchema, issue.path, ctx.data);
  const suggestion = issue.keys.length === 1 ? suggestKey(first, known) : undefined;
  const names = issue.keys.map((k) => JSON.stringify(k)).join(', ');
  const text = `unknown key${issue.keys.length > 1 ? 's' : ''} ${names}${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`;
  const expected = known.length > 0 ? `one of ${known.join(', ')}` : 'no other keys';
  return build(ctx.originOf(issue.path), issue.path, text, expected, [...issue.path, first]);
}

/** The first problem found, as a ConfigError; unknown keys first because a typo also causes a "missing" issue. */
export function issueToConfigError(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): ConfigError {
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (issue === undefined)
    return new ConfigError('configuration: invalid', { expected: 'a valid configuration' });
  if (issue.code === 'unrecognized_keys') return unknownKeys(issue, ctx);
  const path = issue.path;
  const value = valueAt(ctx.data, path);
  const origin = ctx.originOf(path);
  let expected: string;
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    expected = `one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
  } else {
    const found = schemaAt(ConfigSchema, path, ctx.data);
    expected = found === undefined ? 'a valid value' : describeExpected(found.node);
  }
  const lastKey = path.at(-1);
  const secret =
    (schemaAt(ConfigSchema, path, ctx.data)?.secret ?? false) ||
    (typeof lastKey === 'string' && SECRET_KEY_PATTERN.test(lastKey));
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const text =
    value === undefined
      ? `missing, expected ${expected}${more}`
      : `expected ${expected}, got ${describeReceived(value, secret)}${more}`;
  return build(origin, path, text, expected);
}
