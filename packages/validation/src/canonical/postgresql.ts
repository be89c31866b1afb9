import { relationSql, sqlLiteral, type Dialect } from './dialect.js';

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const int = (expr: string): string => `CAST(${expr} AS BIGINT)`;

export const postgresql: Dialect = {
  name: 'postgresql',
  ident,
  literal: (v) => sqlLiteral(v, false),
  text: (e) => `CAST(${e} AS TEXT)`,
  concat: (parts) => `(${parts.join(' || ')})`,
  octetLength: (e) => `OCTET_LENGTH(${e})`,
  md5: (e) => `MD5(${e})`,
  hex60: (h, start) => `CAST(CAST(('x' || SUBSTR(${h}, ${start}, 15)) AS BIT(60)) AS BIGINT)`,
  sumText: (e) => `CAST(SUM(${e}) AS TEXT)`,
  intDiv: (a, b) => `(${a} / ${b})`,
  mod: (a, b) => `(${a} % ${b})`,
  pad: (e, w) => `LPAD(CAST(${e} AS TEXT), GREATEST(${w}, LENGTH(CAST(${e} AS TEXT))), '0')`,
  rtrimChar: (e, c) => `RTRIM(${e}, '${c}')`,
  boolean: (e) => `CASE WHEN ${e} THEN 't' WHEN NOT ${e} THEN 'f' END`,
  hex: (e) => `ENCODE(${e}, 'hex')`,
  toDouble: (e) => `CAST(${e} AS DOUBLE PRECISION)`,
  floatSpecials: (e) => ({
    nan: `${e} = 'NaN'::float8`,
    posInf: `${e} = 'Infinity'::float8`,
    negInf: `${e} = '-Infinity'::float8`,
  }),
  // float8 addition raises on overflow; the shortest round-trip text is exact as numeric.
  floatSumText: (e) => `CAST(SUM(CAST(CAST(CAST(${e} AS DOUBLE PRECISION) AS TEXT) AS NUMERIC)) AS TEXT)`,
  ln: (e) => `LN(${e})`,
  pow2: (e) => `POWER(CAST(2 AS DOUBLE PRECISION), ${e})`,
  floor: (e) => `FLOOR(${e})`,
  toBigint: int,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  least: (a, b) => `LEAST(${a}, ${b})`,
  // PostgreSQL has no year 0: 1 BC extracts as -1.
  dateParts: (e) => ({
    year: `(${int(`EXTRACT(YEAR FROM ${e})`)} + CASE WHEN EXTRACT(YEAR FROM ${e}) < 0 THEN 1 ELSE 0 END)`,
    month: int(`EXTRACT(MONTH FROM ${e})`),
    day: int(`EXTRACT(DAY FROM ${e})`),
  }),
  timeParts: (e) => ({
    hour: int(`EXTRACT(HOUR FROM ${e})`),
    minute: int(`EXTRACT(MINUTE FROM ${e})`),
    microOfMinute: int(`EXTRACT(MICROSECONDS FROM ${e})`),
  }),
  timestampParts(e) {
    return { ...this.dateParts(e), ...this.timeParts(e) };
  },
  toUtc: (e) => `(${e} AT TIME ZONE 'UTC')`,
  temporalInfinity: (e) => ({
    pos: `(NOT ISFINITE(${e}) AND ${e} > CAST('2000-01-01' AS DATE))`,
    neg: `(NOT ISFINITE(${e}) AND ${e} < CAST('2000-01-01' AS DATE))`,
  }),
  intervalParts: (e) => ({
    months: int(`EXTRACT(YEAR FROM ${e}) * 12 + EXTRACT(MONTH FROM ${e})`),
    days: int(`EXTRACT(DAY FROM ${e})`),
    micros: int(
      `EXTRACT(HOUR FROM ${e}) * 3600000000 + EXTRACT(MINUTE FROM ${e}) * 60000000 + EXTRACT(MICROSECONDS FROM ${e})`,
    ),
  }),
  ...relationSql(ident),
};
