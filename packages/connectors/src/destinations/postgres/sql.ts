import { quoteIdentifier, splitQualifiedName } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { Column } from '../../core/types.js';

/** A table name split into its parts, unquoted; PostgreSQL keeps them exactly as written. */
export type TableName = { schema: string | undefined; table: string };

/** PostgreSQL truncates identifiers longer than this (NAMEDATALEN - 1 bytes). */
const MAX_IDENTIFIER_BYTES = 63;

export const quoteIdent = quoteIdentifier;

export function parseTableName(name: string): TableName {
  let parts: string[];
  try {
    parts = splitQualifiedName(name);
  } catch {
    throw new TerminalError('VALIDATION_FAILED', `"${name}" is not a valid table name`);
  }
  const [first, second, ...rest] = parts;
  if (first === undefined || rest.length > 0)
    throw new TerminalError('VALIDATION_FAILED', `"${name}" is not a valid table name`);
  return second === undefined ? { schema: undefined, table: first } : { schema: first, table: second };
}

export function qualified(name: TableName): string {
  return name.schema === undefined
    ? quoteIdent(name.table)
    : `${quoteIdent(name.schema)}.${quoteIdent(name.table)}`;
}

/** Scratch table of one job, next to the target; a retry of the same job finds and drops it. */
export function scratchName(name: TableName, jobId: string): TableName {
  const suffix = `__dxa_${jobId.replace(/[^A-Za-z0-9_]/g, '_')}`;
  // Shorten the table part so PostgreSQL's 63-byte limit never silently truncates the suffix away.
  let table = name.table;
  while (Buffer.byteLength(table + suffix) > MAX_IDENTIFIER_BYTES && table.length > 0)
    table = table.slice(0, -1);
  const full = `${table}${suffix}`;
  if (Buffer.byteLength(full) > MAX_IDENTIFIER_BYTES)
    throw new TerminalError('VALIDATION_FAILED', `job id "${jobId}" is too long for a scratch table name`);
  return { schema: name.schema, table: full };
}

/** The PostgreSQL type for an engine-neutral column type. */
export function pgColumnType(col: Column): string {
  switch (col.type) {
    case 'boolean':
      return 'boolean';
    case 'int16':
      return 'smallint';
    case 'int32':
      return 'integer';
    case 'int64':
      return 'bigint';
    case 'float32':
      return 'real';
    case 'float64':
      return 'double precision';
    case 'decimal':
      return col.precision !== undefined ? `numeric(${col.precision},${col.scale ?? 0})` : 'numeric';
    case 'text':
      return 'text';
    case 'binary':
      return 'bytea';
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    case 'timestamp':
      return 'timestamp';
    case 'timestamptz':
      return 'timestamptz';
    case 'interval':
      return 'interval';
    case 'uuid':
      return 'uuid';
    case 'json':
      return 'jsonb';
  }
}

export function createTableSql(name: TableName, columns: Column[]): string {
  const defs = columns.map((c) => `${quoteIdent(c.name)} ${pgColumnType(c)}${c.nullable ? '' : ' NOT NULL'}`);
  return `CREATE TABLE ${qualified(name)} (${defs.join(', ')})`;
}

export function columnList(columns: Column[]): string {
  return columns.map((c) => quoteIdent(c.name)).join(', ');
}

export function copyFromSql(into: TableName, columns: Column[]): string {
  return `COPY ${qualified(into)} (${columnList(columns)}) FROM STDIN WITH (FORMAT csv, HEADER true)`;
}

/** to_regclass finds the table (or view) exactly as named, in the search path when unqualified. */
export const TABLE_EXISTS_SQL = 'SELECT to_regclass($1) IS NOT NULL AS found';
