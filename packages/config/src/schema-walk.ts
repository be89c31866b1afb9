import { z } from 'zod';
import { secretRegistry } from './secret.js';

type Path = readonly PropertyKey[];

/** Removes optional/default/prefault/nullable/preprocess layers, noting whether any layer is a secret. */
function unwrap(node: z.ZodType): { node: z.ZodType; secret: boolean } {
  let current = node;
  let secret = secretRegistry.has(current);
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      // z.preprocess() is a pipe from a transform into the real schema.
      current = (current.in instanceof z.ZodTransform ? current.out : current.in) as z.ZodType;
    } else {
      return { node: current, secret };
    }
    secret ||= secretRegistry.has(current);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The option of a discriminated union that `value` selects by its `type` field. */
function pickOption(node: z.ZodDiscriminatedUnion, value: unknown): z.ZodType | undefined {
  const type = isRecord(value) ? value.type : undefined;
  return node.options.find((option) => {
    const literal = option instanceof z.ZodObject ? unwrap(option.shape.type as z.ZodType).node : undefined;
    return literal instanceof z.ZodLiteral && literal.values.has(type as never);
  }) as z.ZodType | undefined;
}

/** One step down the schema tree, following the data where a union needs it. */
function child(node: z.ZodType, key: PropertyKey, value: unknown): z.ZodType | undefined {
  const { node: inner } = unwrap(node);
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const option = pickOption(inner, value);
    return option === undefined ? undefined : child(option, key, value);
  }
  if (inner instanceof z.ZodObject) return (inner.shape as Record<string, z.ZodType>)[String(key)];
  if (inner instanceof z.ZodRecord) return inner.valueType as z.ZodType;
  if (inner instanceof z.ZodArray) return inner.element as z.ZodType;
  return undefined;
}

/** The schema node at `path`, or undefined when the path leaves the schema. */
export function schemaAt(
  root: z.ZodType,
  path: Path,
  data: unknown,
): { node: z.ZodType; secret: boolean } | undefined {
  let node: z.ZodType | undefined = root;
  let value = data;
  let secret = unwrap(root).secret;
  for (const key of path) {
    node = child(node, key, value);
    if (node === undefined) return undefined;
    value =
      isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
    secret ||= unwrap(node).secret;
  }
  return { node: unwrap(node).node, secret };
}

/** Field names a strict object at `path` accepts (for "did you mean"). */
export function knownKeys(root: z.ZodType, path: Path, data: unknown): string[] {
  const found = schemaAt(root, path, data)?.node;
  if (found instanceof z.ZodObject) return Object.keys(found.shape);
  if (found instanceof z.ZodDiscriminatedUnion) {
    const option = pickOption(found, valueAt(data, path));
    return option instanceof z.ZodObject ? Object.keys(option.shape) : [];
  }
  return [];
}

export function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const key of path) {
    if (!isRecord(value) && !Array.isArray(value)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const quoteList = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

function describeNumber(node: z.ZodNumber): string {
  const kind = node.isInt ? 'an integer' : 'a number';
  const min =
    node.minValue !== null && Number.isFinite(node.minValue) && node.minValue > Number.MIN_SAFE_INTEGER
      ? node.minValue
      : undefined;
  const max =
    node.maxValue !== null && Number.isFinite(node.maxValue) && node.maxValue < Number.MAX_SAFE_INTEGER
      ? node.maxValue
      : undefined;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined)
    return min === 0 && !node.isInt ? `${kind} greater than 0` : `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}

/** Human wording of what a schema node accepts: "an integer from 1 to 65535", "one of …". */
export function describeExpected(node: z.ZodType): string {
  if (node.description !== undefined) return node.description;
  if (node instanceof z.ZodNumber) return describeNumber(node);
  if (node instanceof z.ZodString) return (node.minLength ?? 0) > 0 ? 'a non-empty string' : 'a string';
  if (node instanceof z.ZodBoolean) return 'true or false';
  if (node instanceof z.ZodEnum) return `one of ${quoteList(node.options)}`;
  if (node instanceof z.ZodLiteral) return JSON.stringify([...node.values][0]);
  if (node instanceof z.ZodArray) return 'a list';
  if (node instanceof z.ZodDiscriminatedUnion) return 'a table with a "type"';
  if (node instanceof z.ZodObject || node instanceof z.ZodRecord) return 'a table';
  if (node instanceof z.ZodUnion) return 'a string, number or boolean';
  return 'a valid value';
}

/** Names of fields registered as secret anywhere in the schema (e.g. "password", "account_key"). */
export function secretFieldNames(root: z.ZodType): Set<string> {
  const names = new Set<string>();
  const visit = (node: z.ZodType, seen: Set<z.ZodType>): void => {
    const { node: inner } = unwrap(node);
    if (seen.has(inner)) return;
    seen.add(inner);
    if (inner instanceof z.ZodObject) {
      for (const [key, field] of Object.entries<z.ZodType>(inner.shape)) {
        if (unwrap(field).secret) names.add(key);
        visit(field, seen);
      }
    } else if (inner instanceof z.ZodRecord || inner instanceof z.ZodArray) {
      visit((inner instanceof z.ZodRecord ? inner.valueType : inner.element) as z.ZodType, seen);
    } else if (inner instanceof z.ZodDiscriminatedUnion || inner instanceof z.ZodUnion) {
      for (const option of inner.options as readonly z.ZodType[]) visit(option, seen);
    }
  };
  visit(root, new Set());
  return names;
}
