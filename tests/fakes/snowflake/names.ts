import { compilationError } from './errors.js';
import type { TableName } from './engine.js';
import type { Session } from './session.js';
import { identifierValue, isPunct, type Token } from './sql-text.js';

/** Reads `a`, `a.b` or `a.b.c` (each part quoted or not) starting at `i`. */
export function readQualifiedName(tokens: Token[], i: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let j = i;
  for (;;) {
    const token = tokens[j];
    if (token === undefined)
      throw compilationError('syntax error: unexpected end of statement, expected a name');
    parts.push(identifierValue(token));
    j++;
    if (!isPunct(tokens[j], '.') || parts.length === 3) break;
    j++;
  }
  return { parts, next: j };
}

/** Resolves a one- to three-part name against the session's current database and schema. */
export function tableName(parts: string[], session: Session): TableName {
  const [a, b, c] = parts;
  if (parts.length === 3) return { db: a!, schema: b!, table: c! };
  if (parts.length === 2) return { db: session.database, schema: a!, table: b! };
  if (parts.length === 1) return { db: session.database, schema: session.schema, table: a! };
  throw compilationError('invalid object name');
}

export function displayName(name: TableName): string {
  return `${name.db}.${name.schema}.${name.table}`;
}
