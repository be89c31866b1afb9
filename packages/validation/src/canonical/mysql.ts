import { relationSql, sqlLiteral, type Dialect } from './dialect.js';

const ident = (name: string): string => `\`${name.replaceAll('`', '``')}\``;
const int = (expr: string): string => `CAST(${expr} AS SIGNED)`;

/** MySQL and MariaDB: no NaN/Infinity, no BC dates, no interval type. */
export const mysql: Dialect = {
  name: 'mysql',
  ident,
  literal: (v) => sqlLiteral(v, true),
  text: (e) => `CAST(${e} AS CHAR CHARACTER SET utf8mb4)`,
  concat: (parts) => `CONCAT(${parts.join(', ')})`,
  octetLength: (e) => `LENGTH(${e})`,
  md5: (e) => `MD5(${e})`,
  hex60: (h, start) => `CAST(CONV(SUBSTR(${h}, ${start}, 15), 16, 10) AS UNSIGNED)`,
  sumText: (e) => `CAST(SUM(${e}) AS CHAR)`,
  intDiv: (a, b) => `(${a} DIV ${b})`,
  mod: (a, b) => `MOD(${a}, ${b})`,
  pad: (e, w) => `LPAD(CAST(${e} AS CHAR), GREATEST(${w}, CHAR_LENGTH(CAST(${e} AS CHAR))), '0')`,
  rtrimChar: (e, c) => `TRIM(TRAILING '${c}' FROM ${e})`,
  boolean: (e) => `CASE WHEN ${e} <> 0 THEN 't' WHEN ${e} = 0 THEN 'f' END`,
  hex: (e) => `LOWER(HEX(${e}))`,
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  floatSumText: (e) => `CAST(SUM(CAST(${e} AS DOUBLE)) AS CHAR)`,
  ln: (e) => `LN(${e})`,
  pow2: (e) => `POWER(2, ${e})`,
  floor: (e) => `FLOOR(${e})`,
  toBigint: int,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  least: (a, b) => `LEAST(${a}, ${b})`,
  dateParts: (e) => ({ year: `YEAR(${e})`, month: `MONTH(${e})`, day: `DAY(${e})` }),
  timeParts: (e) => ({
    hour: `HOUR(${e})`,
    minute: `MINUTE(${e})`,
    microOfMinute: `(SECOND(${e}) * 1000000 + MICROSECOND(${e}))`,
  }),
  timestampParts(e) {
    return { ...this.dateParts(e), ...this.timeParts(e) };
  },
  // TIMESTAMP columns are shown in the session time zone; this undoes that.
  toUtc: (e) => `CONVERT_TZ(${e}, @@session.time_zone, '+00:00')`,
  ...relationSql(ident),
};
