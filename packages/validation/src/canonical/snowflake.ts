import { relationSql, sqlLiteral, type Dialect } from './dialect.js';

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const int = (expr: string): string => `CAST(${expr} AS NUMBER(38, 0))`;

export const snowflake: Dialect = {
  name: 'snowflake',
  ident,
  literal: (v) => sqlLiteral(v, true),
  text: (e) => `TO_VARCHAR(${e})`,
  concat: (parts) => `(${parts.join(' || ')})`,
  octetLength: (e) => `OCTET_LENGTH(${e})`,
  md5: (e) => `MD5(${e})`,
  hex60: (h, start) => `TO_NUMBER(SUBSTR(${h}, ${start}, 15), '${'X'.repeat(15)}')`,
  sumText: (e) => `TO_VARCHAR(SUM(${e}))`,
  intDiv: (a, b) => `FLOOR(${a} / ${b})`,
  mod: (a, b) => `MOD(${a}, ${b})`,
  pad: (e, w) => `LPAD(TO_VARCHAR(${e}), GREATEST(${w}, LENGTH(TO_VARCHAR(${e}))), '0')`,
  rtrimChar: (e, c) => `RTRIM(${e}, '${c}')`,
  boolean: (e) => `CASE WHEN ${e} THEN 't' WHEN NOT ${e} THEN 'f' END`,
  hex: (e) => `LOWER(TO_VARCHAR(${e}, 'HEX'))`,
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  floatSpecials: (e) => ({
    nan: `${e} = 'NaN'::DOUBLE`,
    posInf: `${e} = 'inf'::DOUBLE`,
    negInf: `${e} = '-inf'::DOUBLE`,
  }),
  floatSumText: (e) => `TO_VARCHAR(SUM(CAST(${e} AS DOUBLE)))`,
  ln: (e) => `LN(${e})`,
  pow2: (e) => `POWER(CAST(2 AS DOUBLE), ${e})`,
  floor: (e) => `FLOOR(${e})`,
  toBigint: int,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  least: (a, b) => `LEAST(${a}, ${b})`,
  dateParts: (e) => ({ year: `YEAR(${e})`, month: `MONTH(${e})`, day: `DAY(${e})` }),
  timeParts: (e) => ({
    hour: `HOUR(${e})`,
    minute: `MINUTE(${e})`,
    microOfMinute: `(SECOND(${e}) * 1000000 + FLOOR(NANOSECOND(${e}) / 1000))`,
  }),
  timestampParts(e) {
    return { ...this.dateParts(e), ...this.timeParts(e) };
  },
  toUtc: (e) => `CAST(CONVERT_TIMEZONE('UTC', ${e}) AS TIMESTAMP_NTZ)`,
  ...relationSql(ident),
};
