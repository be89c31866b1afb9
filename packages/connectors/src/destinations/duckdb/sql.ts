import { splitQualifiedName, type FileFormat } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { duckdbColumnType, duckdbReadCsvSql, quoteDuckdbIdent, quoteDuckdbString } from '@dxa/files';
import type { Column } from '../../core/types.js';

/** A table name split into its parts; `schema` holds the catalog too for three-part names. */
export type TableName = {
  /** Unquoted parts before the table name (empty for an unqualified name). */
  schema: string[];
  table: string;
};

export function parseTableName(name: string): TableName {
  let parts: string[];
  try {
    parts = splitQualifiedName(name);
  } catch {
    throw new TerminalError('VALIDATION_FAILED', `"${name}" is not a valid table name`);
  }
  const table = parts.pop();
  if (table === undefined || parts.length > 2)
    throw new TerminalError('VALIDATION_FAILED', `"${name}" is not a valid table name`);
  return { schema: parts, table };
}

export function qualified(name: TableName): string {
  return [...name.schema, name.table].map(quoteDuckdbIdent).join('.');
}

/** Scratch table of one job, next to the target; a retry of the job finds and drops it. */
export function scratchName(name: TableName, jobId: string): TableName {
  return { schema: name.schema, table: `${name.table}__dxa_${jobId.replace(/[^A-Za-z0-9_]/g, '_')}` };
}

export function createSchemaSql(name: TableName): string | undefined {
  return name.schema.length === 0
    ? undefined
    : `CREATE SCHEMA IF NOT EXISTS ${name.schema.map(quoteDuckdbIdent).join('.')}`;
}

export function createTableSql(name: TableName, columns: Column[]): string {
  const defs = columns.map(
    (c) => `${quoteDuckdbIdent(c.name)} ${duckdbColumnType(c)}${c.nullable ? '' : ' NOT NULL'}`,
  );
  return `CREATE TABLE ${qualified(name)} (${defs.join(', ')})`;
}

/**
 * The condition that picks a table out of duckdb_tables() (or duckdb_constraints()). DuckDB
 * identifiers are case-insensitive even when quoted, hence lower() on both sides.
 */
export function tableWhere(name: TableName): { where: string; params: string[] } {
  const conditions = ['lower(table_name) = lower(?)'];
  const params = [name.table];
  const [first, second] = name.schema;
  if (second !== undefined && first !== undefined) {
    conditions.push('lower(database_name) = lower(?)', 'lower(schema_name) = lower(?)');
    params.push(first, second);
  } else if (first !== undefined) {
    conditions.push('lower(schema_name) = lower(?)');
    params.push(first);
  } else {
    conditions.push('schema_name = current_schema()', 'database_name = current_database()');
  }
  return { where: conditions.join(' AND '), params };
}

/** Lookup of a table in duckdb_tables(): how many there are by that name (0 or 1). */
export function tableLookupSql(name: TableName): { sql: string; params: string[] } {
  const { where, params } = tableWhere(name);
  return { sql: `SELECT count(*) AS n FROM duckdb_tables() WHERE ${where}`, params };
}

/** SELECT over the staged files giving exactly the request's columns, typed as in the DDL. */
export function readFilesSql(format: FileFormat, paths: string[], columns: Column[]): string {
  if (format === 'csv') return duckdbReadCsvSql(paths, columns);
  const fileList = `[${paths.map(quoteDuckdbString).join(', ')}]`;
  // Columns are picked by name; the explicit CAST fails loudly where a part disagrees with the DDL.
  const select = columns.map(
    (c) => `CAST(${quoteDuckdbIdent(c.name)} AS ${duckdbColumnType(c)}) AS ${quoteDuckdbIdent(c.name)}`,
  );
  return `SELECT ${select.join(', ')} FROM read_parquet(${fileList})`;
}

export function insertSql(target: TableName, columns: Column[], select: string): string {
  return `INSERT INTO ${qualified(target)} (${columns.map((c) => quoteDuckdbIdent(c.name)).join(', ')}) ${select}`;
}
