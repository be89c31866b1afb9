import { maskSecretsInText } from './mask-text.js';

/** Keys whose values never reach a log line. Kept in step with SECRET_KEY_PATTERN in @dxa/config. */
export const SECRET_KEY_PATTERN =
  /pass(word)?|secret|token|key$|authorization|connection_?string|credential/i;
/** Whole structures that may carry credentials or row data. */
const MASKED_KEYS = new Set(['headers', 'payload']);

export const LOG_LIMITS = { stringLength: 2000, arrayItems: 50, depth: 6 } as const;

const MASK = '***';

export function isMaskedKey(key: string): boolean {
  return MASKED_KEYS.has(key) || SECRET_KEY_PATTERN.test(key);
}

function sanitizeString(value: string): string {
  const { stringLength } = LOG_LIMITS;
  // Mask before cutting, so a cut never leaves half a secret behind.
  const masked = maskSecretsInText(
    value.length > stringLength + 1024 ? value.slice(0, stringLength + 1024) : value,
  );
  if (value.length <= stringLength && masked.length <= stringLength) return masked;
  return `${masked.slice(0, stringLength)}…[truncated, ${value.length} chars]`;
}

function sanitizeError(error: Error): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  const out: Record<string, unknown> = { name: error.name, message: sanitizeString(error.message) };
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  return out;
}

function sanitizeEntries(
  entries: [string, unknown][],
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const masked = isMaskedKey(key) && value !== undefined && value !== null && typeof value !== 'boolean';
    out[key] = masked ? MASK : sanitizeValue(value, depth + 1, seen);
  }
  return out;
}

function sanitizeObject(value: object, depth: number, seen: WeakSet<object>): unknown {
  if (value instanceof Error) return sanitizeError(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[binary ${value.byteLength} bytes]`;
  if (depth >= LOG_LIMITS.depth) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value) || value instanceof Set) {
    const items = [...(value as Iterable<unknown>)];
    out = items.slice(0, LOG_LIMITS.arrayItems).map((item) => sanitizeValue(item, depth + 1, seen));
    if (items.length > LOG_LIMITS.arrayItems)
      (out as unknown[]).push(`…[${items.length - LOG_LIMITS.arrayItems} more items]`);
  } else {
    const entries =
      value instanceof Map
        ? [...value.entries()].map(([k, v]): [string, unknown] => [String(k), v])
        : Object.entries(value);
    out = sanitizeEntries(entries, depth, seen);
  }
  seen.delete(value);
  return out;
}

/** A log-safe copy: secrets masked, strings/arrays/depth capped, errors reduced to name, message and code. */
export function sanitizeValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  switch (typeof value) {
    case 'string':
      return sanitizeString(value);
    case 'bigint':
      return value.toString();
    case 'function':
      return '[Function]';
    case 'symbol':
      return value.toString();
    case 'object':
      return value === null ? null : sanitizeObject(value, depth, seen);
    default:
      return value;
  }
}

/** Sanitises the fields of one log record (depth 0 is the record itself). */
export function sanitizeFields(fields: Record<string, unknown>): Record<string, unknown> {
  return sanitizeEntries(Object.entries(fields), 0, new WeakSet());
}
