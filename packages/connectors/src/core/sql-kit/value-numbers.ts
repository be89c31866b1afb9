import { ValueRefusal, wrongKind } from './value-refusal.js';

/*
 * Numbers as PostgreSQL prints them with extra_float_digits 3: the shortest digits that read back
 * to the same bits, in fixed notation for decimal exponents from -4 up to 14 (float8) or 5
 * (float4), else `d.ddde±XX` with at least two exponent digits.
 */

const FLOAT8_FIXED_BELOW = 15;
const FLOAT4_FIXED_BELOW = 6;

function pgFloatText(negative: boolean, digits: string, exp: number, fixedBelow: number): string {
  const sign = negative ? '-' : '';
  if (exp >= -4 && exp < fixedBelow) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
    return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const magnitude = exp < 0 ? -exp : exp;
  return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${magnitude < 10 ? '0' : ''}${magnitude}`;
}

/** Digits (no point, no trailing zeros) and decimal exponent of JavaScript's `d.ddde±x` text. */
function splitExponential(text: string): { negative: boolean; digits: string; exp: number } {
  const negative = text.charCodeAt(0) === 45;
  const e = text.indexOf('e');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const digits = (mantissa.length > 1 ? mantissa[0]! + mantissa.slice(2) : mantissa).replace(/0+$/, '');
  return { negative, digits: digits === '' ? '0' : digits, exp: Number(text.slice(e + 1)) };
}

/**
 * `x` to `p` significant digits, as JavaScript's toExponential but rounding an exact half to even
 * (as Ryu does) instead of away from zero: float4 362127.625 is `362127.62`, not `…63`.
 */
function toExponentialEven(x: number, p: number): string {
  const text = x.toExponential(p - 1);
  const e = text.indexOf('e');
  if ((text.charCodeAt(e - 1) - 48) % 2 === 0) return text;
  const exact = x.toExponential(Math.min(100, p + 40));
  const digits = exact.slice(0, exact.indexOf('e')).replace(/[-.]/g, '');
  if (digits[p] !== '5' || /[1-9]/.test(digits.slice(p + 1))) return text;
  const rounded = splitExponential(text);
  const units = String(BigInt(rounded.digits.padEnd(p, '0')) - 1n);
  return `${rounded.negative ? '-' : ''}${units[0]}.${units.slice(1)}e${rounded.exp}`;
}

function special(x: number): string | undefined {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  return undefined;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The doubles on either side of x (one may be infinite). */
function doubleNeighbours(x: number): [number, number] {
  f64[0] = x;
  const bits = u64[0]!;
  u64[0] = bits + 1n;
  const a = f64[0];
  u64[0] = bits - 1n;
  return [a, f64[0]];
}

/** The float32s on either side of f. */
function floatNeighbours(f: number): [number, number] {
  f32[0] = f;
  const bits = u32[0]!;
  u32[0] = bits + 1;
  const a = f32[0];
  u32[0] = bits - 1;
  return [a, f32[0]];
}

/**
 * Whether `digits`e`exp` lies exactly halfway between the double x (an integer: |x| ≥ 2^53, where
 * alone such a short midpoint exists) and a neighbour. JavaScript prints such a boundary (it reads
 * back to x by ties-to-even, `1e+23`); PostgreSQL's Ryu takes only digits strictly inside
 * (`9.999999999999999e+22`).
 */
function onDoubleBoundary(x: number, digits: string, exp: number): boolean {
  const shift = exp - digits.length + 1;
  if (shift < 0) return false;
  const twice = 2n * BigInt(digits) * 10n ** BigInt(shift) * (x < 0 ? -1n : 1n);
  const xb = BigInt(x);
  return doubleNeighbours(x).some((n) => Number.isFinite(n) && twice === xb + BigInt(n));
}

/** float8 text: JavaScript's shortest digits, laid out as PostgreSQL lays them out. */
export function float64Text(x: number): string {
  const a = x < 0 ? -x : x;
  // Both print these in fixed notation with the same shortest digits.
  if (a >= 1e-4 && a < 1e15) return String(x);
  const named = special(x);
  if (named !== undefined) return named;
  let { negative, digits, exp } = splitExponential(x.toExponential());
  if (a >= 2 ** 53 && onDoubleBoundary(x, digits, exp)) {
    for (let p = digits.length; p <= 17; p++) {
      const text = toExponentialEven(x, p);
      const inside = splitExponential(text);
      if (Number(text) !== x || onDoubleBoundary(x, inside.digits, inside.exp)) continue;
      ({ negative, digits, exp } = inside);
      break;
    }
  }
  return pgFloatText(negative, digits, exp, FLOAT8_FIXED_BELOW);
}

/** Whether decimal text reads back as the float32 f from strictly inside its interval (as Ryu takes it). */
function readsBackInside(text: string, f: number): boolean {
  const value = Number(text);
  if (Math.fround(value) !== f) return false;
  const [a, b] = floatNeighbours(f);
  return value !== (f + a) / 2 && value !== (f + b) / 2;
}

/** The closest `p`-digit decimal to f, or a neighbour of it, that reads back as the float32 f. */
function float32Digits(f: number, p: number): string | undefined {
  const nearest = toExponentialEven(f, p);
  if (readsBackInside(nearest, f)) return nearest;
  // Next to a power of two the interval that reads back is lopsided: a neighbour may be in it.
  const { negative, digits, exp } = splitExponential(nearest);
  const units = Number(digits.padEnd(p, '0'));
  const scale = exp - p + 1;
  for (const candidate of [units - 1, units + 1]) {
    const text = `${negative ? '-' : ''}${candidate}e${scale}`;
    if (candidate > 0 && readsBackInside(text, f)) return Number(text).toExponential();
  }
  return undefined;
}

/** float4 text: the shortest digits that read back to the same float32 (the value is rounded to one first). */
export function float32Text(x: number): string {
  const f = Math.fround(x);
  const named = special(f);
  if (named !== undefined) return named;
  for (let p = 1; p <= 9; p++) {
    const found = float32Digits(f, p);
    if (found === undefined) continue;
    const { negative, digits, exp } = splitExponential(found);
    return pgFloatText(negative, digits, exp, FLOAT4_FIXED_BELOW);
  }
  throw new Error('unreachable: nine digits always read back to a float32');
}

export function floatWriterText(value: unknown, single: boolean): string {
  if (typeof value !== 'number') throw wrongKind('a number', value);
  if (!single) return float64Text(value);
  if (Number.isFinite(value) && !Number.isFinite(Math.fround(value)))
    throw new ValueRefusal('the number is beyond the range of float32');
  return float32Text(value);
}

type IntRange = { bits: 16 | 32 | 64; min: number; max: number; minBig: bigint; maxBig: bigint };

export const INT16: IntRange = { bits: 16, min: -32768, max: 32767, minBig: -32768n, maxBig: 32767n };
export const INT32: IntRange = {
  bits: 32,
  min: -2147483648,
  max: 2147483647,
  minBig: -2147483648n,
  maxBig: 2147483647n,
};
export const INT64: IntRange = {
  bits: 64,
  min: Number.MIN_SAFE_INTEGER,
  max: Number.MAX_SAFE_INTEGER,
  minBig: -9223372036854775808n,
  maxBig: 9223372036854775807n,
};

const INT64_TEXT = /^-?(?:0|[1-9]\d{0,18})$/;

function outOfRange(range: IntRange): ValueRefusal {
  return new ValueRefusal(`the integer does not fit int${range.bits}`);
}

/**
 * An integer's text. int64 takes a bigint, a safe-integer number, or decimal text (drivers such
 * as tedious hand BIGINT over as a string); a number beyond 2^53 may already have lost digits.
 */
export function integerText(value: unknown, range: IntRange): string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new ValueRefusal('expected an integer, got a number with a fraction');
    if (value < range.min || value > range.max)
      throw range.bits === 64
        ? new ValueRefusal('a number beyond 2^53 may have lost digits: hand int64 over as a bigint or string')
        : outOfRange(range);
    return String(value);
  }
  if (typeof value === 'bigint') {
    if (value < range.minBig || value > range.maxBig) throw outOfRange(range);
    return String(value);
  }
  if (typeof value === 'string' && range.bits === 64) {
    if (!INT64_TEXT.test(value)) throw new ValueRefusal('the text is not a decimal integer');
    if (value.length >= 19 && (BigInt(value) < range.minBig || BigInt(value) > range.maxBig))
      throw outOfRange(range);
    return value;
  }
  throw wrongKind(range.bits === 64 ? 'a bigint, an integer number or integer text' : 'an integer', value);
}
