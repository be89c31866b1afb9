import { relationSql, sqlLiteral, type Dialect } from './dialect.js';

const ident = (name: string): string => `[${name.replaceAll(']', ']]')}]`;
// Text is hashed as UTF-8 bytes: VARCHAR under a UTF-8 collation (SQL Server 2019+).
const UTF8 = 'Latin1_General_100_BIN2_UTF8';
const utf8 = (e: string): string => `CAST(${e} AS VARCHAR(MAX)) COLLATE ${UTF8}`;

/** SQL Server 2022+ (RTRIM with characters, GREATEST/LEAST). Generated only; not run in tests. */
export const sqlserver: Dialect = {
  name: 'sqlserver',
  ident,
  literal: (v) => `N${sqlLiteral(v, false)}`,
  text: (e) => `CAST(CAST(${e} AS NVARCHAR(MAX)) COLLATE ${UTF8} AS VARCHAR(MAX))`,
  // `+` (unlike CONCAT) yields NULL when a part is NULL.
  concat: (parts) => `(${parts.join(' + ')})`,
  octetLength: (e) => `DATALENGTH(${utf8(e)})`,
  md5: (e) => `LOWER(CONVERT(VARCHAR(32), HASHBYTES('MD5', ${utf8(e)}), 2))`,
  hex60: (h, start) => `CONVERT(BIGINT, CONVERT(VARBINARY(8), '0' + SUBSTRING(${h}, ${start}, 15), 2))`,
  sumText: (e) => `CAST(SUM(CAST(${e} AS DECIMAL(38, 0))) AS VARCHAR(40))`,
  intDiv: (a, b) => `(${a} / ${b})`,
  mod: (a, b) => `(${a} % ${b})`,
  pad: (e, w) =>
    `CASE WHEN LEN(CAST(${e} AS VARCHAR(20))) >= ${w} THEN CAST(${e} AS VARCHAR(20)) ELSE RIGHT(REPLICATE('0', ${w}) + CAST(${e} AS VARCHAR(20)), ${w}) END`,
  rtrimChar: (e, c) => `RTRIM(${e}, '${c}')`,
  boolean: (e) => `CASE WHEN ${e} = 1 THEN 't' WHEN ${e} = 0 THEN 'f' END`,
  hex: (e) => `LOWER(CONVERT(VARCHAR(MAX), ${e}, 2))`,
  toDouble: (e) => `CAST(${e} AS FLOAT)`,
  floatSumText: (e) => `CONVERT(VARCHAR(40), SUM(CAST(${e} AS FLOAT)), 3)`,
  ln: (e) => `LOG(${e})`,
  pow2: (e) => `POWER(CAST(2 AS FLOAT), ${e})`,
  floor: (e) => `FLOOR(${e})`,
  toBigint: (e) => `CAST(${e} AS BIGINT)`,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  least: (a, b) => `LEAST(${a}, ${b})`,
  dateParts: (e) => ({
    year: `DATEPART(year, ${e})`,
    month: `DATEPART(month, ${e})`,
    day: `DATEPART(day, ${e})`,
  }),
  timeParts: (e) => ({
    hour: `DATEPART(hour, ${e})`,
    minute: `DATEPART(minute, ${e})`,
    microOfMinute: `(DATEPART(second, ${e}) * 1000000 + DATEPART(microsecond, ${e}))`,
  }),
  timestampParts(e) {
    return { ...this.dateParts(e), ...this.timeParts(e) };
  },
  toUtc: (e) => `SWITCHOFFSET(${e}, '+00:00')`,
  ...relationSql(ident),
};
