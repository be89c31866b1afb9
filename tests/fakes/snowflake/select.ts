import { compilationError, unsupported } from './errors.js';
import { duckdbTypeName, functionRewrite, type CallArgument } from './functions.js';
import { informationSchemaColumns, informationSchemaTables } from './information-schema.js';
import { duckLiteral, identifierValue, isPunct, type Token } from './sql-text.js';

function isIdent(token: Token | undefined): boolean {
  return token?.kind === 'word' || token?.kind === 'qident';
}

function isInformationSchema(token: Token | undefined): boolean {
  return isIdent(token) && identifierValue(token!) === 'INFORMATION_SCHEMA';
}

const VIEWS: Record<string, (db: string) => string> = {
  TABLES: informationSchemaTables,
  COLUMNS: informationSchemaColumns,
};

/** Index of the `)` closing the `(` at `open`. */
function closingParen(tokens: Token[], open: number, end: number): number {
  let depth = 0;
  for (let k = open; k < end; k++) {
    if (isPunct(tokens[k], '(')) depth++;
    else if (isPunct(tokens[k], ')') && --depth === 0) return k;
  }
  throw compilationError('syntax error: unbalanced parentheses');
}

/** Splits `tokens[from, to)` at top-level commas into [start, end) ranges. */
function splitArguments(tokens: Token[], from: number, to: number): [number, number][] {
  if (from === to) return [];
  const ranges: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let k = from; k < to; k++) {
    if (isPunct(tokens[k], '(')) depth++;
    else if (isPunct(tokens[k], ')')) depth--;
    else if (depth === 0 && isPunct(tokens[k], ',')) {
      ranges.push([start, k]);
      start = k + 1;
    }
  }
  ranges.push([start, to]);
  return ranges;
}

type Translation = { sql: string; currentDatabase: string; tokens: Token[] };

/** DuckDB text for `tokens[from, to)`, keeping the original spacing between tokens. */
function translateRange(tr: Translation, from: number, to: number): string {
  const { sql, tokens } = tr;
  if (from >= to) return '';
  let out = '';
  let last = tokens[from]!.start;
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    out += sql.slice(last, t.start);
    last = t.end;
    const dbPrefixed = isIdent(t) && isPunct(tokens[k + 1], '.') && isInformationSchema(tokens[k + 2]);
    const infoAt = dbPrefixed ? k + 2 : isInformationSchema(t) ? k : -1;
    if (infoAt >= 0 && isPunct(tokens[infoAt + 1], '.')) {
      const view = tokens[infoAt + 2];
      const make = isIdent(view) ? VIEWS[identifierValue(view!)] : undefined;
      if (!make) throw unsupported(`INFORMATION_SCHEMA.${view?.text ?? ''}`);
      out += make(dbPrefixed ? identifierValue(t) : tr.currentDatabase);
      last = view!.end;
      k = infoAt + 2;
      continue;
    }
    const rewrite = t.kind === 'word' && isPunct(tokens[k + 1], '(') ? functionRewrite(t.value) : undefined;
    if (rewrite) {
      const close = closingParen(tokens, k + 1, to);
      const args: CallArgument[] = splitArguments(tokens, k + 2, close).map(([a, b]) => ({
        sql: translateRange(tr, a, b),
        tokens: tokens.slice(a, b),
      }));
      out += rewrite(args);
      last = tokens[close]!.end;
      k = close;
      continue;
    }
    const typeName = duckdbTypeName(tokens, k);
    if (typeName !== undefined) out += typeName;
    else if (t.kind === 'word') out += t.text.toUpperCase();
    else if (t.kind === 'string') out += duckLiteral(t.value);
    else if (t.kind === 'stage' || t.kind === 'fileuri')
      throw unsupported(`a stage reference in SELECT (${t.text})`);
    else out += t.text;
  }
  return out;
}

/**
 * Plain SELECTs go to DuckDB: unquoted words are upper-cased (as Snowflake resolves them; DuckDB
 * then matches case-insensitively and names result columns like Snowflake), string literals are
 * re-quoted for DuckDB, INFORMATION_SCHEMA.TABLES/COLUMNS are mapped onto DuckDB's catalog, and
 * the Snowflake functions and type names of `functions.ts` are rewritten.
 */
export function selectToDuckdb(sql: string, tokens: Token[], currentDatabase: string): string {
  return translateRange({ sql, tokens, currentDatabase }, 0, tokens.length);
}
