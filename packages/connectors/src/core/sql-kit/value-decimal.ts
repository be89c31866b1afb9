import { ValueRefusal, wrongKind } from './value-refusal.js';

/*
 * Decimals as PostgreSQL's numeric_out prints them: `-`, the integer digits (at least `0`), and as
 * many decimals as the column's scale (an unconstrained numeric keeps the value's own); NaN and
 * ±Infinity by name. Values never pass through a double unless the column is narrow enough for
 * one to hold every digit.
 */

export type DecimalShape = { name: string; precision?: number | undefined; scale?: number | undefined };

/** A double holds every decimal of up to this many significant digits exactly (DBL_DIG). */
const EXACT_DOUBLE_DIGITS = 15;
/** Exponents beyond this in decimal text are refused rather than expanded into huge strings. */
const MAX_EXPONENT = 1000;

const PLAIN = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const NAMED = /^([+-]?)(nan|inf|infinity)$/i;

function named(text: string): string | undefined {
  const match = NAMED.exec(text);
  if (!match) return undefined;
  if (match[2]!.toLowerCase() === 'nan') return 'NaN';
  return match[1] === '-' ? '-Infinity' : 'Infinity';
}

/** Integer and fraction digits with the exponent applied. */
function shift(whole: string, fraction: string, exp: number): [string, string] {
  if (exp === 0) return [whole, fraction];
  const digits = whole + fraction;
  const point = whole.length + exp;
  if (point <= 0) return ['', '0'.repeat(-point) + digits];
  if (point >= digits.length) return [digits + '0'.repeat(point - digits.length), ''];
  return [digits.slice(0, point), digits.slice(point)];
}

function canonical(text: string, column: DecimalShape): string {
  const spelled = named(text);
  if (spelled !== undefined) return spelled;
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === ''))
    throw new ValueRefusal('the text is not a decimal number');
  const exp = match[4] === undefined ? 0 : Number(match[4]);
  if (Math.abs(exp) > MAX_EXPONENT) throw new ValueRefusal('the decimal exponent is out of range');
  let [whole, fraction] = shift(match[2]!, match[3] ?? '', exp);
  whole = whole.replace(/^0+/, '');
  const scale = column.scale ?? fraction.length;
  if (fraction.length > scale) {
    if (!/^0*$/.test(fraction.slice(scale)))
      throw new ValueRefusal(`the value has more decimals than the column's scale (${scale})`);
    fraction = fraction.slice(0, scale);
  } else fraction = fraction.padEnd(scale, '0');
  if (column.precision !== undefined && whole.length > column.precision - scale)
    throw new ValueRefusal(`the value has more digits than decimal(${column.precision},${scale}) holds`);
  const zero = whole === '' && !/[1-9]/.test(fraction);
  const sign = match[1] === '-' && !zero ? '-' : '';
  return `${sign}${whole === '' ? '0' : whole}${scale > 0 ? `.${fraction}` : ''}`;
}

function fromString(text: string, column: DecimalShape): string {
  // The common case: already as PostgreSQL prints it for this column.
  if (column.scale !== undefined && PLAIN.test(text) && !text.startsWith('-0')) {
    const dot = text.indexOf('.');
    const decimals = dot < 0 ? 0 : text.length - dot - 1;
    const whole = (dot < 0 ? text.length : dot) - (text.startsWith('-') ? 1 : 0);
    const fits =
      column.precision === undefined || text.startsWith('0') || whole <= column.precision - column.scale;
    if (decimals === column.scale && fits) return text;
  }
  return canonical(text, column);
}

function fromNumber(value: number, column: DecimalShape): string {
  if (column.precision === undefined || column.precision > EXACT_DOUBLE_DIGITS)
    throw new ValueRefusal(
      `a JavaScript number cannot hold every digit of ${column.precision === undefined ? 'an unconstrained decimal' : `decimal(${column.precision},${column.scale ?? 0})`}: hand it over as a string or bigint`,
    );
  if (!Number.isFinite(value)) return value !== value ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  // toExponential() gives the shortest digits that read back to the same double: for at most
  // 15 significant digits, exactly the decimal the driver parsed.
  return canonical(value.toExponential(), column);
}

/** The interchange text of a decimal handed over as a string, a bigint or (narrow columns only) a number. */
export function decimalText(value: unknown, column: DecimalShape): string {
  if (typeof value === 'string') return fromString(value, column);
  if (typeof value === 'bigint') return canonical(String(value), column);
  if (typeof value === 'number') return fromNumber(value, column);
  throw wrongKind('a decimal string, a bigint or a number', value);
}
