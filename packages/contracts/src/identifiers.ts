import { z } from 'zod';

// A plain or double-quoted SQL identifier. Anything else (spaces, semicolons, comments) is rejected
// at the boundary so that a table name can never carry SQL.
const IDENT = String.raw`(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"\x00]|"")+")`;
const QUALIFIED_NAME = new RegExp(`^${IDENT}(?:\\.${IDENT}){0,2}$`);

export const QualifiedTableName = z.string().max(400).regex(QUALIFIED_NAME, {
  message: 'must be a table name like schema.table (letters, digits, _ and $, or a "quoted identifier")',
});

export const ColumnName = z
  .string()
  .min(1)
  .max(128)
  .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL' });

/** Affinity labels become part of a queue name, so they are kept to a safe alphabet. */
export const AffinityLabel = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, {
  message: 'must be 1-63 letters, digits, _ or -, starting with a letter or digit',
});

export const ConnectionName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,127}$/, {
  message: 'must be a connection name from the configuration',
});

/** Double-quotes one identifier part (SQL standard: PostgreSQL, DuckDB, Snowflake, SQL Server with QUOTED_IDENTIFIER). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A qualified name whose every part is double-quoted: exact in every engine's reading (no case
 * folding), in the syntax a job writes table names in.
 */
export function exactTableName(parts: readonly string[]): string {
  return parts.map(quoteIdentifier).join('.');
}

/** Splits `schema.table` (quoted parts allowed) into unquoted parts. */
export function splitQualifiedName(name: string): string[] {
  const parts: string[] = [];
  const re = new RegExp(IDENT, 'y');
  let i = 0;
  while (i < name.length) {
    re.lastIndex = i;
    const m = re.exec(name);
    if (!m) throw new Error(`not a qualified name: ${name}`);
    const raw = m[0];
    parts.push(raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw);
    i += raw.length;
    if (name[i] === '.') i += 1;
  }
  return parts;
}
