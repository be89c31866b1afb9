import { splitQualifiedName } from '@dxa/contracts';
import type { Relation, Selection } from '../types.js';

/** Calendar parts of a date/time/timestamp value, as integer SQL expressions. */
export type TemporalParts = {
  /** Astronomical year: 1 BC is 0, 2 BC is -1. */
  year?: string;
  month?: string;
  day?: string;
  hour?: string;
  minute?: string;
  /** Microseconds within the minute (seconds × 1e6 + fraction). */
  microOfMinute?: string;
};

/**
 * The few engine-specific building blocks the canonical encoding needs. Everything else
 * (floats, decimals, row texts, hashes) is assembled from these in `encode.ts`, so every engine
 * follows the same recipe.
 */
export type Dialect = {
  /** `postgresql`, `mysql`…: names the engine in reports. */
  name: string;
  ident(name: string): string;
  /** A string literal, escaped for this engine. */
  literal(value: string): string;
  /** Casts any scalar to UTF-8 text. */
  text(expr: string): string;
  /** Concatenation that yields NULL when any part is NULL. */
  concat(parts: string[]): string;
  octetLength(expr: string): string;
  /** MD5 of a text as 32 lowercase hex digits. */
  md5(expr: string): string;
  /** 15 hex digits of `hexExpr` from 1-based `start`, as a non-negative 60-bit integer. */
  hex60(hexExpr: string, start: number): string;
  /** Exact SUM of 60-bit integers, as text. */
  sumText(expr: string): string;
  intDiv(a: string, b: string): string;
  mod(a: string, b: string): string;
  /** Left-pads an integer with zeros to `width` digits (never truncates wider values). */
  pad(intExpr: string, width: number): string;
  rtrimChar(expr: string, char: string): string;
  /** TRUE/FALSE → 't'/'f'. */
  boolean(expr: string): string;
  /** Binary as lowercase hex. */
  hex(expr: string): string;
  toDouble(expr: string): string;
  /** SUM of doubles as text; engines that raise on float overflow sum exactly instead. */
  floatSumText(expr: string): string;
  /** SQL conditions for non-finite doubles, when the engine can store them. */
  floatSpecials?: (expr: string) => { nan: string; posInf: string; negInf: string };
  /** Natural log, power and floor on doubles. */
  ln(expr: string): string;
  pow2(expr: string): string;
  floor(expr: string): string;
  toBigint(expr: string): string;
  greatest(a: string, b: string): string;
  least(a: string, b: string): string;
  dateParts(expr: string): TemporalParts;
  timeParts(expr: string): TemporalParts;
  timestampParts(expr: string): TemporalParts;
  /** A timestamptz converted to a UTC timestamp without time zone. */
  toUtc(expr: string): string;
  /** Conditions for ±infinity dates/timestamps, when the engine has them. */
  temporalInfinity?: (expr: string) => { pos: string; neg: string };
  /** Interval as months, days, microseconds, when the engine has an interval type. */
  intervalParts?: (expr: string) => { months: string; days: string; micros: string };
  /** A table named as a job writes it (`schema.table`, quoted parts exact), quoted for this engine. */
  table(name: string): string;
  /** The SELECT of a selection: its columns in order (all when none), its table, its filter. */
  select(selection: Selection, options?: SelectOptions): string;
  /** Relation text for FROM: a whole table by its name; a narrowed table or a query parenthesised. */
  from(relation: Relation): string;
  /**
   * Count each column's distinct values in a statement of its own. A columnar engine reads one
   * column cheaply and then holds one hash table at a time; a row store would read the table once
   * per column, so it counts them all in the one metrics statement.
   */
  distinctCountsApart?: boolean;
};

export type SelectOptions = {
  /** The expression a column is read through instead of its bare name (aliased back to the name). */
  read?: (quoted: string, column: string) => string;
  /** Conditions ANDed after the selection's own filter (an extract's slice). */
  and?: readonly (string | undefined)[];
};

/** Quotes each part of a job-written table name with the dialect's identifier quoting. */
function quoteTable(table: string, ident: (name: string) => string): string {
  return splitQualifiedName(table).map(ident).join('.');
}

/**
 * ` WHERE (…) AND (…)` over the conditions present, or ''. Each sits on its own lines inside
 * parentheses: its OR stays inside, and a trailing `--` comment cannot swallow what follows.
 */
export function whereClause(conditions: readonly (string | undefined)[]): string {
  const present = conditions.filter((c): c is string => c !== undefined);
  return present.length === 0 ? '' : ` WHERE ${present.map((c) => `(\n${c}\n)`).join(' AND ')}`;
}

function selectSql(
  selection: Selection,
  ident: (name: string) => string,
  options: SelectOptions = {},
): string {
  const columns = selection.columns ?? [];
  const list = columns.map((column) => {
    const quoted = ident(column);
    const expr = options.read?.(quoted, column) ?? quoted;
    return expr === quoted ? quoted : `${expr} AS ${quoted}`;
  });
  const where = whereClause([selection.where, ...(options.and ?? [])]);
  return `SELECT ${list.length === 0 ? '*' : list.join(', ')} FROM ${quoteTable(selection.table, ident)}${where}`;
}

function fromSql(relation: Relation, ident: (name: string) => string): string {
  if (!('table' in relation)) return `(\n${relation.query.replace(/[;\s]+$/, '').trim()}\n) AS dxa_q`;
  const whole = (relation.columns ?? []).length === 0 && relation.where === undefined;
  return whole ? quoteTable(relation.table, ident) : `(${selectSql(relation, ident)}) AS dxa_q`;
}

/** A dialect's table, select and from, all rendered with its identifier quoting. */
export function relationSql(ident: (name: string) => string): Pick<Dialect, 'table' | 'select' | 'from'> {
  return {
    table: (name) => quoteTable(name, ident),
    select: (selection, options) => selectSql(selection, ident, options),
    from: (relation) => fromSql(relation, ident),
  };
}

/** Standard SQL string literal; `backslash` engines also treat `\` as an escape. */
export function sqlLiteral(value: string, backslash: boolean): string {
  const escaped = backslash ? value.replaceAll('\\', '\\\\') : value;
  return `'${escaped.replaceAll("'", "''")}'`;
}
