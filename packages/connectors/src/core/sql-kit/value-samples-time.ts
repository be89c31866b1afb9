// Test support: seeded dates, times, timestamps and intervals with the JavaScript forms drivers
// hand over (tedious Dates with nanosecondsDelta, text) and their truth (day numbers, microseconds).
import {
  DAY_MS,
  DAY_US,
  MAX_DAY,
  MIN_DAY,
  Random,
  binarySample,
  booleanSample,
  decimal,
  float,
  integer,
  jsonSample,
  mixed,
  textSample,
  uuidSample,
  type Sample,
  type SampleColumn,
} from './value-samples.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `YYYY-MM-DD[ BC]` and `HH:MM:SS.mmm` of epoch milliseconds, through JavaScript's own calendar. */
function isoParts(ms: number): { date: string; clock: string; bc: boolean } {
  const iso = new Date(ms).toISOString(); // ±YYYYYY-MM-DDTHH:MM:SS.mmmZ
  const t = iso.indexOf('T');
  const year = Number(iso.slice(0, t - 6));
  const bc = year <= 0;
  return {
    date: `${pad(bc ? 1 - year : year, 4)}${iso.slice(t - 6, t)}`,
    clock: iso.slice(t + 1, t + 13),
    bc,
  };
}

/** A Date as tedious builds one: whole milliseconds plus the rest in `nanosecondsDelta` (seconds). */
function tediousDate(ms: number, hundredNs: number): Date {
  return Object.defineProperty(new Date(ms), 'nanosecondsDelta', { value: hundredNs / 1e7 });
}

function randomDay(r: Random): number {
  return r.chance(0.7) ? r.int(-25567, 47482) : r.int(MIN_DAY, MAX_DAY); // 1900..2100, or anywhere
}

export const dateSample = mixed(
  [
    () => ({ js: '4713-01-01 BC', truth: MIN_DAY }),
    () => ({ js: '0001-12-31 BC', truth: -719163 }),
    () => ({ js: '0001-01-01', truth: -719162 }),
    () => ({ js: '5874897-12-31', truth: 2145042905 }),
    () => ({ js: 'infinity', truth: 'infinity' }),
    () => ({ js: '-infinity', truth: '-infinity' }),
  ],
  (r) => {
    const day = randomDay(r);
    if (r.chance(0.5)) return { js: new Date(day * DAY_MS), truth: day };
    const { date, bc } = isoParts(day * DAY_MS);
    return { js: bc ? `${date} BC` : date, truth: day };
  },
);

/** Microseconds of the day and a 100 ns remainder that rounds one way (never a tie). */
function subMicro(r: Random): number {
  return r.chance(0.5) ? 0 : r.pick([1, 2, 3, 4, 6, 7, 8, 9]);
}

export const timeSample = mixed(
  [
    () => ({ js: '24:00:00', truth: DAY_US }),
    () => ({ js: '00:00:00', truth: 0 }),
    () => ({ js: '23:59:59.999999', truth: DAY_US - 1 }),
    () => ({ js: '23:59:59.9999996', truth: DAY_US }),
  ],
  (r) => {
    const us = r.int(0, DAY_US - 1);
    const extra = subMicro(r);
    const truth = us + (extra > 5 ? 1 : 0);
    if (r.chance(0.5)) return { js: tediousDate(Math.floor(us / 1000), (us % 1000) * 10 + extra), truth };
    const seconds = Math.floor(us / 1e6);
    const clock = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
    return { js: `${clock}.${pad(us % 1e6, 6)}${extra === 0 ? '' : extra}`, truth };
  },
);

function offsetText(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60), 2)}:${pad(a % 60, 2)}`;
}

export function timestampSample(zoned: boolean): (r: Random) => Sample {
  const bc = zoned ? '0044-03-15 09:00:00.5+00 BC' : '0044-03-15 09:00:00.5 BC';
  return mixed(
    [
      () => ({ js: bc, truth: -63517791599500000n }),
      () => ({ js: 'infinity', truth: 'infinity' }),
      () => ({ js: '-infinity', truth: '-infinity' }),
    ],
    (r) => {
      const ms = randomDay(r) * DAY_MS + r.int(0, DAY_MS - 1);
      const micros = r.int(0, 999);
      const extra = subMicro(r);
      const truth = BigInt(ms) * 1000n + BigInt(micros + (extra > 5 ? 1 : 0));
      if (r.chance(0.5)) return { js: tediousDate(ms, micros * 10 + extra), truth };
      // Text: the wall clock at some UTC offset (timestamptz) or in UTC (timestamp).
      const offset = zoned ? r.int(-15 * 60, 15 * 60) : 0;
      const wall = isoParts(ms + offset * 60_000);
      const fraction = `${wall.clock.slice(8)}${pad(micros, 3)}${extra === 0 ? '' : extra}`;
      const zone = zoned ? (offset === 0 && r.chance(0.3) ? 'Z' : offsetText(offset)) : '';
      return { js: `${wall.date} ${wall.clock.slice(0, 8)}${fraction}${zone}${wall.bc ? ' BC' : ''}`, truth };
    },
  );
}

export const intervalSample = mixed(
  [
    () => ({ js: { months: 0, days: 0, microseconds: 0 }, truth: { months: 0, days: 0, micros: 0n } }),
    () => ({
      js: { months: 14, days: 3, microseconds: 14706789000 },
      truth: { months: 14, days: 3, micros: 14706789000n },
    }),
    () => ({
      js: { months: 0, days: -1, microseconds: 7200000000n },
      truth: { months: 0, days: -1, micros: 7200000000n },
    }),
  ],
  (r) => {
    const part = (limit: number) => (r.chance(0.3) ? 0 : r.int(-limit, limit));
    const months = part(3000);
    const days = part(3000);
    const micros = r.chance(0.3) ? 0 : Math.round((r.next() - 0.5) * 10 ** r.int(1, 14));
    return {
      js: { months, days, microseconds: r.chance(0.5) ? micros : BigInt(micros) },
      truth: { months, days, micros: BigInt(micros) },
    };
  },
);

/** Every logical type, in the PostgreSQL types that hold it; `id` orders the rows. */
export const SAMPLE_COLUMNS: SampleColumn[] = [
  {
    name: 'b',
    type: 'boolean',
    pg: 'bool',
    sample: booleanSample,
  },
  { name: 'i2', type: 'int16', pg: 'int2', sample: integer(16) },
  { name: 'i4', type: 'int32', pg: 'int4', sample: integer(32) },
  { name: 'i8', type: 'int64', pg: 'int8', sample: integer(64) },
  { name: 'f4', type: 'float32', pg: 'float4', sample: float(true) },
  { name: 'f8', type: 'float64', pg: 'float8', sample: float(false) },
  { name: 'n', type: 'decimal', precision: 38, scale: 10, pg: 'numeric(38,10)', sample: decimal(38, 10) },
  { name: 'nn', type: 'decimal', precision: 12, scale: 2, pg: 'numeric(12,2)', sample: decimal(12, 2) },
  { name: 'nz', type: 'decimal', precision: 18, scale: 0, pg: 'numeric(18,0)', sample: decimal(18, 0) },
  { name: 'nu', type: 'decimal', pg: 'numeric', sample: decimal(undefined, undefined) },
  { name: 't', type: 'text', pg: 'text', sample: textSample },
  { name: 'bin', type: 'binary', pg: 'bytea', sample: binarySample },
  { name: 'd', type: 'date', pg: 'date', sample: dateSample },
  { name: 'tm', type: 'time', pg: 'time', sample: timeSample },
  { name: 'ts', type: 'timestamp', pg: 'timestamp', sample: timestampSample(false) },
  { name: 'tz', type: 'timestamptz', pg: 'timestamptz', sample: timestampSample(true) },
  { name: 'iv', type: 'interval', pg: 'interval', sample: intervalSample },
  { name: 'u', type: 'uuid', pg: 'uuid', sample: uuidSample },
  { name: 'j', type: 'json', pg: 'json', sample: jsonSample },
];

/** `count` rows of samples (one per column) from `seed`. */
export function sampleRows(seed: number, count: number): Sample[][] {
  const r = new Random(seed);
  return Array.from({ length: count }, () => SAMPLE_COLUMNS.map((c) => c.sample(r)));
}
