import { z } from 'zod';

/*
 * Field builders for configuration schemas. They live here, below both @dxa/config and the connector
 * descriptions that declare each connection kind's fields, so the two share one secret registry.
 */

/** Registry of schema nodes holding secrets; @dxa/config's `redact()` masks values found under them. */
export const secretRegistry = z.registry<{ secret: true }>();

/** A string that is a secret: masked in logs, errors, API output and job records. */
export function secret() {
  return z.string().register(secretRegistry, { secret: true });
}

/** Integers may arrive as strings from `${ENV_VAR}` substitution or environment variables. */
export const integer = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number().int().min(min).max(max),
  );

export const positiveNumber = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v),
  z.number().positive(),
);

/** `true`/`false` and the strings environment variables carry (`"true"`, `"1"`, `"false"`, `"0"`). */
export const booleanField = z.preprocess(
  (v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v),
  z.boolean(),
);

export const portField = integer(1, 65535);
export const hostField = z.string().min(1).max(255);

/** Driver options passed through as they are (upstream's `**extra_options`). */
export const extraOptionsField = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .default({});

/** The fields a database reached over the network takes (upstream's source table), with its default port. */
export const databaseServerFields = (defaultPort: number) => ({
  host: hostField.default('127.0.0.1'),
  port: portField.default(defaultPort),
  database: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: secret().optional(),
  extra_options: extraOptionsField,
});
