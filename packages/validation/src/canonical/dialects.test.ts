import { LOGICAL_TYPES, type LogicalType } from '@dxa/contracts';
import { describe, expect, it } from 'vitest';
import { bucketRowsSql, bucketSummarySql, reselectSql } from '../levels/rows-sql.js';
import { canonicalValue, rowText } from './encode.js';
import { dialectFor } from './index.js';

const ALL_TYPES: readonly LogicalType[] = LOGICAL_TYPES;

function shape(name: 'snowflake' | 'sqlserver') {
  const d = dialectFor(name);
  const columns = ALL_TYPES.map((type, i) => ({ name: `c${i}`, expr: d.ident(`c${i}`), type }));
  return { d, s: { from: d.from({ table: 'app.orders' }), key: [columns[2]!], columns } };
}

/** Parentheses balance: a cheap guard against broken generated SQL. */
function balanced(sql: string): boolean {
  let depth = 0;
  for (const ch of sql.replace(/'(?:[^']|'')*'/g, '')) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

describe('Snowflake SQL', () => {
  const { d, s } = shape('snowflake');
  it('hashes with MD5 and turns hex slices into integers with TO_NUMBER', () => {
    const sql = bucketSummarySql(d, s, 16);
    expect(sql).toContain('MD5(');
    expect(sql).toContain(`TO_NUMBER(SUBSTR(rh, 1, 15), '${'X'.repeat(15)}')`);
    expect(sql).toContain(`TO_NUMBER(SUBSTR(rh, 16, 15), '${'X'.repeat(15)}')`);
    expect(sql).toMatch(/MOD\(TO_NUMBER\(SUBSTR\(kh, 1, 15\), 'X+'\), 16\)/);
    expect(sql).toContain('FROM "app"."orders"');
    expect(balanced(sql)).toBe(true);
  });
  it('encodes every logical type with Snowflake functions', () => {
    const text = (type: LogicalType) => canonicalValue(d, { expr: '"x"', type });
    expect(text('binary')).toBe(`LOWER(TO_VARCHAR("x", 'HEX'))`);
    expect(text('timestamptz')).toContain(`CONVERT_TIMEZONE('UTC', "x")`);
    expect(text('timestamp')).toContain('NANOSECOND("x")');
    expect(text('float64')).toContain(`'NaN'::DOUBLE`);
    expect(text('decimal')).toContain(`RTRIM(RTRIM(TO_VARCHAR("x"), '0'), '.')`);
    for (const type of ALL_TYPES) expect(balanced(text(type))).toBe(true);
    expect(balanced(bucketRowsSql(d, s, 16, [1, 5]))).toBe(true);
  });
  it('escapes backslashes in literals of re-select SQL', () => {
    const k = { expr: '"k"', type: 'text' as const };
    expect(reselectSql(d, '"t"', [k], [["a\\b'c"]])).toBe(
      `SELECT * FROM "t" WHERE (TO_VARCHAR("k") = 'a\\\\b''c')`,
    );
  });
});

describe('SQL Server SQL', () => {
  const { d, s } = shape('sqlserver');
  it('hashes UTF-8 bytes with HASHBYTES and converts hex with CONVERT style 2', () => {
    const sql = bucketSummarySql(d, s, 8);
    expect(sql).toContain("HASHBYTES('MD5', CAST(");
    expect(sql).toContain('AS VARCHAR(MAX)) COLLATE Latin1_General_100_BIN2_UTF8');
    expect(sql).toContain('LOWER(CONVERT(VARCHAR(32), HASHBYTES(');
    expect(sql).toContain("CONVERT(BIGINT, CONVERT(VARBINARY(8), '0' + SUBSTRING(rh, 1, 15), 2))");
    expect(sql).toContain('SUM(CAST(h1 AS DECIMAL(38, 0)))');
    expect(sql).toContain('FROM [app].[orders]');
    expect(balanced(sql)).toBe(true);
  });
  it('concatenates with + so a NULL value becomes the NULL marker', () => {
    const sql = rowText(d, [{ expr: '[a]', type: 'text' }]);
    expect(sql).toMatch(/^\(COALESCE\(\(CAST\(CAST\(DATALENGTH/);
    expect(sql).toContain(" + ':' + ");
    expect(sql).toContain(", 'N')");
    expect(sql).not.toContain('CONCAT(');
  });
  it('encodes every logical type with SQL Server functions', () => {
    const text = (type: LogicalType) => canonicalValue(d, { expr: '[x]', type });
    expect(text('binary')).toBe('LOWER(CONVERT(VARCHAR(MAX), [x], 2))');
    expect(text('timestamptz')).toContain("SWITCHOFFSET([x], '+00:00')");
    expect(text('time')).toContain('DATEPART(microsecond, [x])');
    expect(text('boolean')).toBe("CASE WHEN [x] = 1 THEN 't' WHEN [x] = 0 THEN 'f' END");
    for (const type of ALL_TYPES) expect(balanced(text(type))).toBe(true);
    expect(balanced(bucketRowsSql(d, s, 8, [0, 3]))).toBe(true);
  });
});
