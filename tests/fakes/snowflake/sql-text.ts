import { unsupported, compilationError } from './errors.js';

/**
 * A small Snowflake lexer: enough to route the statement shapes of the contract
 * (docs/snowflake-statements.md) and to rewrite plain SELECTs for DuckDB. Not a parser.
 */
export type TokenKind = 'word' | 'qident' | 'string' | 'number' | 'punct' | 'stage' | 'fileuri';
export type Token = { kind: TokenKind; text: string; value: string; start: number; end: number };

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

/** Snowflake single-quoted literal: '' and backslash escapes (\\ \' \n \t \xhh \uhhhh …). */
function readString(sql: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") {
      if (sql[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    if (ch === '\\' && i + 1 < sql.length) {
      const next = sql[i + 1]!;
      if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(sql.slice(i + 2, i + 4))) {
        value += String.fromCharCode(parseInt(sql.slice(i + 2, i + 4), 16));
        i += 4;
      } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(sql.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(sql.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        value += SIMPLE_ESCAPES[next] ?? next;
        i += 2;
      }
      continue;
    }
    value += ch;
    i++;
  }
  throw compilationError(`syntax error: unterminated string literal at position ${start}`);
}

function readQuoted(sql: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '"') {
      if (sql[i + 1] === '"') {
        value += '"';
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += sql[i];
    i++;
  }
  throw compilationError(`syntax error: unterminated quoted identifier at position ${start}`);
}

/** `@stage/path`: runs to whitespace, `;`, `,` or `)` outside double quotes. */
function readStage(sql: string, start: number): number {
  let i = start + 1;
  let quoted = false;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && /[\s;,)]/.test(ch)) break;
    i++;
  }
  return i;
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string) => {
    const text = sql.slice(start, end);
    tokens.push({ kind, text, value: value ?? text, start, end });
    i = end;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (sql.startsWith('--', i) || sql.startsWith('//', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (ch === "'") {
      const { value, end } = readString(sql, i);
      push('string', i, end, value);
    } else if (ch === '"') {
      const { value, end } = readQuoted(sql, i);
      push('qident', i, end, value);
    } else if (ch === '@') {
      push('stage', i, readStage(sql, i));
    } else if (/^file:\/\//i.test(sql.slice(i, i + 7))) {
      const end = sql.slice(i).search(/[\s;]/);
      push('fileuri', i, end < 0 ? sql.length : i + end);
    } else if (/[A-Za-z_]/.test(ch)) {
      WORD.lastIndex = i;
      const m = WORD.exec(sql)!;
      push('word', i, i + m[0].length);
    } else if (/[0-9.]/.test(ch) && (NUMBER.lastIndex = i) >= 0 && NUMBER.test(sql)) {
      push('number', i, NUMBER.lastIndex);
    } else if (sql.startsWith('::', i)) {
      push('punct', i, i + 2);
    } else {
      push('punct', i, i + 1);
    }
  }
  return tokens;
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.value.toUpperCase());
}

export function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === 'punct' && token.text === text;
}

/** Snowflake resolution: quoted identifiers keep their case, unquoted ones are upper-cased. */
export function identifierValue(token: Token): string {
  if (token.kind === 'qident') return token.value;
  if (token.kind === 'word') return token.value.toUpperCase();
  throw compilationError(`syntax error: unexpected '${token.text}', expected an identifier`);
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A DuckDB (standard SQL) string literal: only '' escaping. */
export function duckLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A Snowflake string literal, as a bind value would have been typed. */
function snowflakeLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export type Binding = { type: string; value: unknown };

function bindLiteral(bind: Binding | undefined, position: number): string {
  if (bind === undefined) throw compilationError(`Bind variable ? (position ${position}) not set.`);
  const { type, value } = bind;
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) throw unsupported('array (bulk) binds');
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (type.toUpperCase()) {
    case 'FIXED':
    case 'REAL':
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return snowflakeLiteral(text);
      return text;
    case 'BOOLEAN':
      return /^(true|1)$/i.test(text) ? 'TRUE' : 'FALSE';
    default:
      return snowflakeLiteral(text);
  }
}

/** Replaces `?` and `:N` placeholders (outside literals) by literals of the bound values. */
export function substituteBinds(sql: string, bindings: Record<string, Binding> | undefined): string {
  const tokens = tokenize(sql);
  let out = '';
  let last = 0;
  let position = 0;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    let replaceEnd = -1;
    let key = '';
    if (isPunct(token, '?')) {
      position++;
      key = String(position);
      replaceEnd = token.end;
    } else if (
      isPunct(token, ':') &&
      tokens[k + 1]?.kind === 'number' &&
      tokens[k + 1]!.start === token.end
    ) {
      key = tokens[k + 1]!.text;
      replaceEnd = tokens[k + 1]!.end;
      k++;
    }
    if (replaceEnd < 0) continue;
    out += sql.slice(last, token.start) + bindLiteral(bindings?.[key], Number(key));
    last = replaceEnd;
  }
  return out + sql.slice(last);
}

/** Drops trailing semicolons; refuses several statements in one request. */
export function singleStatement(tokens: Token[]): Token[] {
  let end = tokens.length;
  while (end > 0 && isPunct(tokens[end - 1], ';')) end--;
  if (tokens.slice(0, end).some((t) => isPunct(t, ';')))
    throw unsupported('several statements in one request');
  return tokens.slice(0, end);
}
