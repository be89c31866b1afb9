import { z } from 'zod';

/** Registry of schema nodes holding secrets; `redact()` masks values found under them. */
export const secretRegistry = z.registry<{ secret: true }>();

/** A string that is a secret: masked in logs, errors, API output and job records. */
export function secret() {
  return z.string().register(secretRegistry, { secret: true });
}

export const REDACTED = '***';

/** Keys whose values are masked wherever they appear, whatever the schema says. */
export const SECRET_KEY_PATTERN =
  /pass(word)?|secret|token|key$|authorization|connection_?string|credential/i;
