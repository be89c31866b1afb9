import type { ClientBase } from 'pg';
import { exactTableName, splitQualifiedName } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { dialectFor, type Selection } from '@dxa/validation';
import type { SourceDescription } from '../../core/types.js';
import { keptColumns, namedSelection } from '../../core/validation-relations.js';
import { toColumn, type PgTypeInfo } from './types.js';

/** PostgreSQL's SQL text (quoting, column lists, filters) for extraction and validation alike. */
export const dialect = dialectFor('postgresql');
export const quoteIdent = (name: string): string => dialect.ident(name);

/**
 * A user query wrapped as a subquery. Newlines keep a trailing `--` comment from swallowing the
 * closing parenthesis; trailing semicolons are dropped.
 */
export function asSubquery(query: string): string {
  return `(\n${query.trim().replace(/;+\s*$/, '')}\n)`;
}

export type ResolvedTable = {
  oid: number;
  /** `"schema"."table"`: exact, as a selection names it. */
  exact: string;
  /** The same, quoted for SQL. */
  quoted: string;
  estimatedRows: number | undefined;
};

/**
 * How a table name is read: the way PostgreSQL reads SQL (unquoted parts fold to lower case; a
 * source), or exactly as written (a target, whose tables the destination creates quoted).
 */
export type NameReading = 'sql' | 'exact';

/**
 * Looks the table up (the search_path applies to an unqualified name) and returns it fully
 * qualified and exact.
 */
export async function resolveTable(
  client: ClientBase,
  table: string,
  reading: NameReading = 'sql',
): Promise<ResolvedTable> {
  const { rows } = await client.query<{
    oid: number;
    nspname: string;
    relname: string;
    reltuples: number;
    relkind: string;
  }>(
    `SELECT c.oid::int8 AS oid, n.nspname, c.relname, c.reltuples::float8 AS reltuples, c.relkind::text AS relkind
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = pg_catalog.to_regclass($1::text)`,
    [reading === 'exact' ? exactTableName(splitQualifiedName(table)) : table],
  );
  const row = rows[0];
  if (!row || !'rvmfp'.includes(row.relkind)) {
    throw new TerminalError(
      'SOURCE_NOT_FOUND',
      `table ${table} does not exist (or is not visible to this user)`,
      { step: 'extract' },
    );
  }
  const estimated = row.relkind === 'r' || row.relkind === 'm' ? row.reltuples : -1;
  const exact = exactTableName([row.nspname, row.relname]);
  return {
    oid: Number(row.oid),
    exact,
    quoted: dialect.table(exact),
    estimatedRows: estimated >= 0 ? Math.round(estimated) : undefined,
  };
}

/** Base type (domains resolved), type modifier and spelled type for each (type oid, typmod). */
async function typeInfos(
  client: ClientBase,
  types: { oid: number; typmod: number }[],
): Promise<PgTypeInfo[]> {
  const { rows } = await client.query<{
    ord: string;
    typname: string;
    nspname: string;
    typmod: number;
    source_type: string;
  }>(
    `WITH RECURSIVE input AS (
       SELECT * FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS u(typid, typmod, ord)
     ), base(ord, typid, typmod, depth) AS (
       SELECT ord, typid, typmod, 0 FROM input
       UNION ALL
       SELECT b.ord, t.typbasetype, t.typtypmod, b.depth + 1
         FROM base b JOIN pg_catalog.pg_type t ON t.oid = b.typid
        WHERE t.typtype = 'd'
     )
     SELECT DISTINCT ON (b.ord) b.ord, t.typname::text AS typname, n.nspname::text AS nspname, b.typmod,
            pg_catalog.format_type(i.typid, NULLIF(i.typmod, -1)) AS source_type
       FROM base b
       JOIN input i ON i.ord = b.ord
       JOIN pg_catalog.pg_type t ON t.oid = b.typid
       JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      ORDER BY b.ord, b.depth DESC`,
    [types.map((t) => t.oid), types.map((t) => t.typmod)],
  );
  return rows.map((r) => ({
    name: r.typname,
    schema: r.nspname,
    typmod: r.typmod,
    sourceType: r.source_type,
  }));
}

/** The table's columns in table order. */
async function tableColumns(client: ClientBase, oid: number) {
  const { rows } = await client.query<{
    attname: string;
    atttypid: number;
    atttypmod: number;
    attnotnull: boolean;
  }>(
    `SELECT attname, atttypid::int8 AS atttypid, atttypmod, attnotnull
       FROM pg_catalog.pg_attribute
      WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped
      ORDER BY attnum`,
    [oid],
  );
  return rows;
}

/** A table selection named as the catalog spells it. */
export async function resolveSelection(
  client: ClientBase,
  selection: Selection,
  reading: NameReading = 'sql',
): Promise<Selection> {
  const table = await resolveTable(client, selection.table, reading);
  const kept = keptColumns(
    (await tableColumns(client, table.oid)).map((r) => ({ name: r.attname })),
    selection,
  );
  return namedSelection(selection, table.exact, kept);
}

export async function describeTable(client: ClientBase, selection: Selection): Promise<SourceDescription> {
  const table = await resolveTable(client, selection.table);
  const rows = await tableColumns(client, table.oid);
  const infos = await typeInfos(
    client,
    rows.map((r) => ({ oid: Number(r.atttypid), typmod: r.atttypmod })),
  );
  const all = rows.map((r, i) => toColumn(r.attname, infos[i]!, !r.attnotnull));
  const columns = keptColumns(all, selection);
  return selection.where === undefined && table.estimatedRows !== undefined
    ? { columns, estimatedRows: table.estimatedRows }
    : { columns };
}

export async function describeQuery(client: ClientBase, query: string): Promise<SourceDescription> {
  const result = await client.query(`SELECT * FROM ${asSubquery(query)} AS q LIMIT 0`);
  const names = result.fields.map((f) => f.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw new TerminalError(
      'BAD_SQL',
      `the query returns the column name "${duplicate}" more than once; give each column its own alias`,
      { step: 'extract' },
    );
  }
  const infos = await typeInfos(
    client,
    result.fields.map((f) => ({ oid: f.dataTypeID, typmod: f.dataTypeModifier })),
  );
  return { columns: result.fields.map((f, i) => toColumn(f.name, infos[i]!, true)) };
}
