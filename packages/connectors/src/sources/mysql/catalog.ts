import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { exactTableName, splitQualifiedName, type SourceRef } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { dialectFor, type Selection } from '@dxa/validation';
import { findByName } from '../../core/names.js';
import type { Column, SourceDescription } from '../../core/types.js';
import { keptColumns, namedSelection, selectionOf } from '../../core/validation-relations.js';
import { catalogToColumn, fieldToColumn, type CatalogColumn } from './types.js';

/** MySQL's SQL text (quoting, column lists, filters) for extraction and validation alike. */
const dialect = dialectFor('mysql');

/**
 * A user query without trailing semicolons, on its own lines so a trailing `--` or `#` comment
 * cannot swallow what follows.
 */
export function queryText(query: string): string {
  return `\n${query.trim().replace(/;+\s*$/, '')}\n`;
}

export type ResolvedTable = {
  schema: string;
  name: string;
  /** `"schema"."name"`: exact, as the dialect renders it. */
  exact: string;
  estimatedRows: number | undefined;
  columns: CatalogColumn[];
};

const notFound = (message: string) => new TerminalError('SOURCE_NOT_FOUND', message, { step: 'extract' });

/** Column names MariaDB's JSON alias guards with `json_valid(col)`; none on MySQL (a real json type). */
async function jsonColumns(conn: PoolConnection, schema: string, table: string): Promise<Set<string>> {
  try {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?`,
      [schema, table],
    );
    const names = rows.flatMap((r) => {
      const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(String(r['clause']));
      return m?.[1] ? [m[1].replaceAll('``', '`')] : [];
    });
    return new Set(names);
  } catch {
    return new Set(); // MySQL's CHECK_CONSTRAINTS has no TABLE_NAME column
  }
}

/**
 * Looks `schema.table` (or `table` in the configured database) up in information_schema and
 * returns it named exactly, with its columns in table order.
 */
export async function resolveTable(conn: PoolConnection, table: string): Promise<ResolvedTable> {
  const parts = splitQualifiedName(table);
  if (parts.length > 2) throw notFound(`table ${table}: MySQL names are database.table, not three parts`);
  let schema = parts.length === 2 ? parts[0] : undefined;
  if (schema === undefined) {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT DATABASE() AS db');
    const current = rows[0]?.['db'] as string | null | undefined;
    if (!current)
      throw new TerminalError(
        'CONFIG_ERROR',
        `table ${table}: no database configured; name it database.table`,
      );
    schema = current;
  }
  const name = parts[parts.length - 1] ?? table;
  const [tables] = await conn.query<RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_ROWS AS n, TABLE_TYPE AS kind
       FROM information_schema.TABLES WHERE LOWER(TABLE_SCHEMA) = LOWER(?) AND LOWER(TABLE_NAME) = LOWER(?)`,
    [schema, name],
  );
  const inSchema = tables.filter((r) => r['s'] === schema);
  const found = findByName(inSchema.length > 0 ? inSchema : tables, (r) => String(r['t']), name);
  if (!found) throw notFound(`table ${table} does not exist (or is not visible to this user)`);
  const s = String(found['s']);
  const t = String(found['t']);
  const [cols] = await conn.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType,
            IS_NULLABLE AS nullable, NUMERIC_PRECISION AS p, NUMERIC_SCALE AS s
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
      ORDER BY ORDINAL_POSITION`,
    [s, t],
  );
  const json = await jsonColumns(conn, s, t);
  const columns = cols
    .filter((c) => c['t'] === t)
    .map((c) => ({
      name: String(c['name']),
      dataType: String(c['dataType']).toLowerCase(),
      columnType: String(c['columnType']).toLowerCase(),
      nullable: c['nullable'] === 'YES',
      precision: c['p'] === null ? null : Number(c['p']),
      scale: c['s'] === null ? null : Number(c['s']),
      json: json.has(String(c['name'])),
    }));
  const rows = found['n'] === null || found['kind'] !== 'BASE TABLE' ? undefined : Number(found['n']);
  return { schema: s, name: t, exact: exactTableName([s, t]), estimatedRows: rows, columns };
}

/** A table selection named as the catalog spells it, with the catalog columns it keeps. */
export async function resolveSelection(
  conn: PoolConnection,
  selection: Selection,
): Promise<{ selection: Selection; columns: CatalogColumn[] }> {
  const table = await resolveTable(conn, selection.table);
  const columns = keptColumns(table.columns, selection);
  return { selection: namedSelection(selection, table.exact, columns), columns };
}

export async function describeTable(conn: PoolConnection, selection: Selection): Promise<SourceDescription> {
  const table = await resolveTable(conn, selection.table);
  const columns: Column[] = keptColumns(table.columns, selection).map(catalogToColumn);
  return selection.where === undefined && table.estimatedRows !== undefined
    ? { columns, estimatedRows: table.estimatedRows }
    : { columns };
}

export async function describeQuery(conn: PoolConnection, query: string): Promise<SourceDescription> {
  // The derived table rejects duplicate column names itself (error 1060, BAD_SQL).
  const [, fields] = await conn.query(`SELECT * FROM (${queryText(query)}) AS q LIMIT 0`);
  return {
    columns: fields.map((f) => fieldToColumn({ ...f, flags: typeof f.flags === 'number' ? f.flags : 0 })),
  };
}

/**
 * The SELECT an extract runs: the dialect's rendering of the selection, every column listed.
 * FLOAT columns are read as DOUBLE: MariaDB prints a FLOAT with six significant digits (16777216
 * as 16777200), the DOUBLE text of the same bits reads back exactly. A query source runs as
 * written (MariaDB drops the ORDER BY of a derived table).
 */
export async function extractSql(conn: PoolConnection, ref: SourceRef, columns: Column[]): Promise<string> {
  if (ref.table === undefined) return queryText(ref.query ?? '');
  const wanted = columns.length > 0 ? { columns: columns.map((c) => c.name) } : {};
  const resolved = await resolveSelection(conn, { ...selectionOf({ ...ref, table: ref.table }), ...wanted });
  const floats = new Set(resolved.columns.filter((c) => c.dataType === 'float').map((c) => c.name));
  return dialect.select(
    { ...resolved.selection, columns: resolved.columns.map((c) => c.name) },
    { read: (quoted, column) => (floats.has(column) ? `CAST(${quoted} AS DOUBLE)` : quoted) },
  );
}

/** `SELECT count(*)` of the same selection. */
export async function countSql(conn: PoolConnection, ref: SourceRef): Promise<string> {
  if (ref.table === undefined) return `SELECT count(*) AS n FROM (${queryText(ref.query ?? '')}) AS q`;
  const table = await resolveTable(conn, ref.table);
  const where = ref.where === undefined ? {} : { where: ref.where };
  return `SELECT count(*) AS n FROM ${dialect.from({ table: table.exact, ...where })}`;
}
