import { unsupported } from './errors.js';
import { isPunct, isWord, type Token } from './sql-text.js';

/**
 * Snowflake functions and type names in SELECTs, rewritten into DuckDB with Snowflake's meaning.
 * Only what the validation dialect (packages/validation/src/canonical/snowflake.ts) emits is
 * covered; each rewrite names the Snowflake behaviour it keeps. Functions both engines share with
 * the same meaning (MD5 of text, SUBSTR, LOWER, RTRIM(x, chars), LN, POWER, FLOOR, MOD, YEAR …
 * SECOND, COALESCE, COUNT, SUM, MIN, MAX) pass through unchanged.
 */

/** Per-connection DuckDB macros the rewrites call (created in Engine.connect). */
export const SNOWFLAKE_MACROS = [
  // Snowflake prints an integral FLOAT without a fraction (`5`), DuckDB as `5.0`; the dialect
  // relies on it where `/` made a double of an exact quotient (see `/` in the README).
  `CREATE OR REPLACE TEMP MACRO sf_float_text(d) AS
     CASE WHEN d = trunc(d) AND abs(d) < 1e15 THEN CAST(CAST(d AS BIGINT) AS VARCHAR) ELSE CAST(d AS VARCHAR) END`,
  // TO_VARCHAR(x): DuckDB's text of x, except doubles as above (typeof is constant per query).
  `CREATE OR REPLACE TEMP MACRO sf_to_varchar(x) AS
     CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN sf_float_text(TRY_CAST(x AS DOUBLE)) ELSE CAST(x AS VARCHAR) END`,
  // OCTET_LENGTH counts UTF-8 bytes of text (DuckDB's octet_length takes BLOBs only).
  `CREATE OR REPLACE TEMP MACRO sf_octet_length(x) AS
     CASE WHEN typeof(x) = 'BLOB' THEN octet_length(TRY_CAST(x AS BLOB)) ELSE strlen(CAST(x AS VARCHAR)) END`,
  // Snowflake's GREATEST/LEAST are NULL when any argument is; DuckDB's skip NULLs.
  `CREATE OR REPLACE TEMP MACRO sf_greatest(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END`,
  `CREATE OR REPLACE TEMP MACRO sf_least(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END`,
];

/** Snowflake type names after `AS` (CAST) or `::` → DuckDB types with the same range. */
const TYPE_NAMES: Record<string, { duckdb: string; defaultArgs?: string }> = {
  // NUMBER without arguments is NUMBER(38,0); DuckDB's bare DECIMAL would be (18,3).
  NUMBER: { duckdb: 'DECIMAL', defaultArgs: '(38, 0)' },
  NUMERIC: { duckdb: 'DECIMAL', defaultArgs: '(38, 0)' },
  DECIMAL: { duckdb: 'DECIMAL', defaultArgs: '(38, 0)' },
  // Snowflake's FLOAT family is 64-bit; DuckDB's FLOAT is 32-bit.
  FLOAT: { duckdb: 'DOUBLE' },
  FLOAT4: { duckdb: 'DOUBLE' },
  FLOAT8: { duckdb: 'DOUBLE' },
  REAL: { duckdb: 'DOUBLE' },
  TEXT: { duckdb: 'VARCHAR' },
  STRING: { duckdb: 'VARCHAR' },
  BINARY: { duckdb: 'BLOB' },
  VARBINARY: { duckdb: 'BLOB' },
  TIMESTAMP_NTZ: { duckdb: 'TIMESTAMP' },
  DATETIME: { duckdb: 'TIMESTAMP' },
  TIMESTAMP_TZ: { duckdb: 'TIMESTAMPTZ' },
  TIMESTAMP_LTZ: { duckdb: 'TIMESTAMPTZ' },
  VARIANT: { duckdb: 'JSON' },
};

/** The DuckDB spelling of a Snowflake type name at `tokens[k]`, when it is one in a type position. */
export function duckdbTypeName(tokens: Token[], k: number): string | undefined {
  const t = tokens[k]!;
  const prev = tokens[k - 1];
  if (t.kind !== 'word' || !(isWord(prev, 'AS') || isPunct(prev, '::'))) return undefined;
  const mapped = TYPE_NAMES[t.value.toUpperCase()];
  if (!mapped) return undefined;
  return mapped.duckdb + (isPunct(tokens[k + 1], '(') ? '' : (mapped.defaultArgs ?? ''));
}

/** One argument of a call: its DuckDB text and its tokens (for literal format strings). */
export type CallArgument = { sql: string; tokens: Token[] };

function stringArg(arg: CallArgument | undefined): string | undefined {
  return arg?.tokens.length === 1 && arg.tokens[0]!.kind === 'string' ? arg.tokens[0]!.value : undefined;
}

function arity(name: string, args: CallArgument[], ...allowed: number[]): void {
  if (!allowed.includes(args.length)) throw unsupported(`${name} with ${args.length} arguments`);
}

type Rewrite = (args: CallArgument[]) => string;

const REWRITES: Record<string, Rewrite> = {
  TO_VARCHAR: toVarchar,
  TO_CHAR: toVarchar,
  // TO_NUMBER(s, 'XXX…'): s read as hexadecimal (either case). DuckDB reads `0x…` text as BIGINT,
  // which holds the ≤ 15 digits (60 bits) the dialect passes.
  TO_NUMBER(args) {
    arity('TO_NUMBER', args, 2);
    const format = stringArg(args[1]);
    if (format === undefined || !/^X{1,15}$/i.test(format))
      throw unsupported(`TO_NUMBER format ${args[1]?.sql ?? ''}`);
    return `CAST(('0x' || ${args[0]!.sql}) AS BIGINT)`;
  },
  OCTET_LENGTH(args) {
    arity('OCTET_LENGTH', args, 1);
    return `sf_octet_length(${args[0]!.sql})`;
  },
  // LPAD's length is any integer in Snowflake; DuckDB wants an INTEGER.
  LPAD(args) {
    arity('LPAD', args, 2, 3);
    const pad = args[2] ? `, ${args[2].sql}` : `, ' '`;
    return `lpad(CAST(${args[0]!.sql} AS VARCHAR), CAST(${args[1]!.sql} AS INTEGER)${pad})`;
  },
  GREATEST(args) {
    arity('GREATEST', args, 2);
    return `sf_greatest(${args[0]!.sql}, ${args[1]!.sql})`;
  },
  LEAST(args) {
    arity('LEAST', args, 2);
    return `sf_least(${args[0]!.sql}, ${args[1]!.sql})`;
  },
  // NANOSECOND is the fraction of the second in Snowflake; DuckDB's counts the seconds too.
  NANOSECOND(args) {
    arity('NANOSECOND', args, 1);
    return `(nanosecond(${args[0]!.sql}) % 1000000000)`;
  },
  // CONVERT_TIMEZONE(tz, instant): the instant in tz. DuckDB's timezone() gives the wall time
  // there, which is what the following CAST to TIMESTAMP_NTZ keeps in Snowflake.
  CONVERT_TIMEZONE(args) {
    arity('CONVERT_TIMEZONE', args, 2);
    return `timezone(${args[0]!.sql}, ${args[1]!.sql})`;
  },
  // IFF(c, a, b) is CASE WHEN c THEN a ELSE b END.
  IFF(args) {
    arity('IFF', args, 3);
    return `(CASE WHEN ${args[0]!.sql} THEN ${args[1]!.sql} ELSE ${args[2]!.sql} END)`;
  },
};

/** TO_VARCHAR(x) as Snowflake prints it; TO_VARCHAR(binary, 'HEX') as upper-case hex. */
function toVarchar(args: CallArgument[]): string {
  arity('TO_VARCHAR', args, 1, 2);
  if (args.length === 1) return `sf_to_varchar(${args[0]!.sql})`;
  const format = stringArg(args[1])?.toUpperCase();
  if (format !== 'HEX') throw unsupported(`TO_VARCHAR format ${args[1]!.sql}`);
  return `hex(${args[0]!.sql})`;
}

/** The rewrite for a call of `name`, if the fake translates that function. */
export function functionRewrite(name: string): Rewrite | undefined {
  return REWRITES[name.toUpperCase()];
}
