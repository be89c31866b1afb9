// Test support for the value encoder's tests: seeded random rows of every logical type, each
// value with the JavaScript form a driver would hand over and its truth, built without the encoder.
import type { CsvColumn } from './value-rows.js';

export type Interval = { months: number; days: number; micros: bigint };
/** What a value is, independent of how it is written: numbers, day numbers, epoch microseconds. */
export type Truth = boolean | bigint | number | string | Buffer | Interval;
export type Sample = { js: unknown; truth: Truth } | null;
export type SampleColumn = CsvColumn & { pg: string; sample: (r: Random) => Sample };

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
export class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  uint32(): number {
    return this.int(0, 0xffffffff);
  }
  digits(n: number): string {
    let text = '';
    for (let i = 0; i < n; i++) text += String(this.int(0, 9));
    return text;
  }
}

const DAY_MS = 86_400_000;
const DAY_US = 86_400_000_000;
/** Day numbers JavaScript's Date can hold that PostgreSQL and DuckDB can too (4713 BC .. 275759 AD). */
const MIN_DAY = -2440550;
const MAX_DAY = 99_000_000;

/** Edge values some of the time, random ones otherwise, NULL now and then. */
function mixed(edges: (() => Sample)[], random: (r: Random) => Sample): (r: Random) => Sample {
  return (r) => (r.chance(0.08) ? null : edges.length > 0 && r.chance(0.3) ? r.pick(edges)() : random(r));
}

const same =
  (value: Truth): (() => Sample) =>
  () => ({ js: value, truth: value });

// --- numbers ---------------------------------------------------------------------------------

const SAFE = 2n ** 53n - 1n;

function integer(bits: 16 | 32 | 64): (r: Random) => Sample {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  // int64 arrives as a bigint, as text (tedious) or, when safe, as a number.
  const js = (n: bigint, r: Random): unknown =>
    bits < 64 ? Number(n) : r.pick(n >= -SAFE && n <= SAFE ? [n, String(n), Number(n)] : [n, String(n)]);
  return (r) => {
    if (r.chance(0.08)) return null;
    const raw = BigInt.asIntN(bits, (BigInt(r.uint32()) << 32n) | BigInt(r.uint32()));
    const n = r.chance(0.3)
      ? r.pick([max, min, 0n, -1n, 1n])
      : r.chance(0.5)
        ? raw
        : raw >> BigInt(r.int(0, bits - 1));
    return { js: js(n, r), truth: n };
  };
}

const view = new DataView(new ArrayBuffer(8));

function float(single: boolean): (r: Random) => Sample {
  const edges = single
    ? [
        1.100000023841858, 1.401298464324817e-45, 3.4028234663852886e38, 16777216, 1.1754943508222875e-38,
        0.10000000149011612, 999999.9375, 1e6,
      ]
    : [
        5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 0.1, 1e-5, 1e15, 1e14, 1e21, 1e-7, 0.0001,
        123456789012345680,
      ];
  const specials = [-0, 0, NaN, Infinity, -Infinity];
  return mixed(
    [...edges, ...edges.map((x) => -x), ...specials].map((x) => () => ({ js: x, truth: x })),
    (r) => {
      let x: number;
      if (r.chance(0.5)) x = Math.round((r.next() - 0.5) * 10 ** r.int(1, 12)) / 10 ** r.int(0, 6);
      else if (single) {
        view.setUint32(0, r.uint32());
        x = view.getFloat32(0);
      } else {
        view.setUint32(0, r.uint32());
        view.setUint32(4, r.uint32());
        x = view.getFloat64(0);
      }
      const value = single ? Math.fround(x) : x;
      return { js: value, truth: value };
    },
  );
}

/** A decimal's canonical text (sign, whole digits, scale decimals) and a spelling a driver might hand over. */
function decimalSample(
  r: Random,
  digits: string,
  fraction: string,
  negative: boolean,
  scaled: boolean,
): Sample {
  const whole = digits === '' && fraction === '' ? '0' : digits;
  const w = whole.replace(/^0+/, '');
  const zero = w === '' && !/[1-9]/.test(fraction);
  const truth = `${negative && !zero ? '-' : ''}${w || '0'}${fraction ? `.${fraction}` : ''}`;
  const sign = negative ? '-' : r.chance(0.2) ? '+' : '';
  const unscaled = `${w}${fraction}`.replace(/^0+/, '') || '0';
  const spellings: unknown[] = [
    truth,
    `${sign}${whole}.${fraction}`,
    `${sign}${unscaled}e-${fraction.length}`,
  ];
  if (scaled) spellings.push(`${sign}${w || '0'}.${fraction.replace(/0+$/, '')}`.replace(/\.$/, ''));
  // A bigint has no decimals: an unconstrained numeric would lose the value's own scale.
  if (fraction === '' || (scaled && /^0*$/.test(fraction)))
    spellings.push(BigInt(`${negative ? '-' : ''}${w || '0'}`));
  return { js: r.pick(spellings), truth };
}

function decimal(precision: number | undefined, scale: number | undefined): (r: Random) => Sample {
  const edges: (() => Sample)[] = [];
  if (precision !== undefined && scale !== undefined) {
    const nines = (n: number) => '9'.repeat(n);
    const fraction = (s: string) => (scale > 0 ? `.${s}` : '');
    edges.push(same(`${nines(precision - scale) || '0'}${fraction(nines(scale))}`));
    edges.push(same(`-${nines(precision - scale) || '0'}${fraction(nines(scale))}`));
    if (scale > 0) edges.push(same(`0.${'0'.repeat(scale - 1)}1`), same(`-0.${'0'.repeat(scale - 1)}1`));
    edges.push(() => ({ js: '-0', truth: `0${fraction('0'.repeat(scale))}` }));
  } else edges.push(same('NaN'), same('Infinity'), same('-Infinity'), same('0.00000000000000000001'));
  return mixed(edges, (r) => {
    const s = scale ?? r.int(0, 30);
    const wholeDigits = r.int(0, precision === undefined ? 40 : precision - s);
    const whole = r.digits(wholeDigits);
    const fraction = r.digits(s);
    if (precision !== undefined && precision <= 15 && r.chance(0.5)) {
      // A narrow column: tedious hands it over as a double (exact for up to 15 digits).
      const sample = decimalSample(r, whole, fraction, r.chance(0.5), true)!;
      return { js: Number(sample.truth), truth: sample.truth };
    }
    return decimalSample(r, whole, fraction, r.chance(0.5), scale !== undefined);
  });
}

export const booleanSample = mixed([], (r) => {
  const b = r.chance(0.5);
  return { js: b, truth: b };
});

// --- text and bytes --------------------------------------------------------------------------

const PIECES = [
  '"',
  ',',
  '\n',
  '\r',
  '\t',
  '\\',
  '\\.',
  ' ',
  'a',
  'Z',
  'é',
  '✓',
  '😀',
  '𝄞',
  'NULL',
  '""',
  "'",
  ';',
  '\u00a0',
  '\u2028',
];

function text(r: Random): string {
  let s = '';
  const n = r.int(0, 8);
  for (let i = 0; i < n; i++) s += r.pick(PIECES);
  return s;
}

export const textSample = mixed([same(''), same('\\.'), same('NULL'), same(' padded  '), same('😀')], (r) => {
  const s = text(r);
  return { js: s, truth: s };
});

export const jsonSample = mixed(
  [same('{}'), same('[]'), same('"\\u00e9"'), same('{"a": [1, 2.50]}')],
  (r) => {
    const s = JSON.stringify(
      { [text(r)]: [text(r), r.int(-99, 99), r.chance(0.5)] },
      null,
      r.chance(0.5) ? 1 : undefined,
    );
    return { js: s, truth: s };
  },
);

export const binarySample = mixed(
  [same(Buffer.alloc(0)), same(Buffer.from([0])), same(Buffer.alloc(100, 0xff))],
  (r) => {
    const bytes = Buffer.alloc(r.chance(0.1) ? r.int(65, 200) : r.int(0, 40));
    for (let i = 0; i < bytes.length; i++) bytes[i] = r.int(0, 255);
    return { js: r.chance(0.5) ? bytes : new Uint8Array(bytes), truth: bytes };
  },
);

export const uuidSample = mixed(
  [same('00000000-0000-0000-0000-000000000000'), same('ffffffff-ffff-ffff-ffff-ffffffffffff')],
  (r) => {
    const hex = Buffer.from(Array.from({ length: 16 }, () => r.int(0, 255))).toString('hex');
    const truth = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return { js: r.chance(0.5) ? truth.toUpperCase() : truth, truth };
  },
);

export { DAY_MS, DAY_US, MAX_DAY, MIN_DAY, decimal, float, integer, mixed, same };
