import { ValueRefusal, wrongKind } from './value-refusal.js';

/** An interval as PostgreSQL keeps it: months, days and microseconds, each with its own sign. */
export type IntervalValue = { months: number; days: number; microseconds: number | bigint };

const US_PER_HOUR = 3_600_000_000n;
const US_PER_MINUTE = 60_000_000n;
const US_PER_SECOND = 1_000_000n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function fitsInt32(n: number): boolean {
  return n >= -2147483648 && n <= 2147483647;
}

function isIntervalValue(value: unknown): value is IntervalValue {
  if (typeof value !== 'object' || value === null) return false;
  const { months, days, microseconds } = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(months) &&
    Number.isSafeInteger(days) &&
    (typeof microseconds === 'bigint' || Number.isSafeInteger(microseconds))
  );
}

/**
 * IntervalStyle 'postgres' (EncodeInterval): `1 year 2 mons 3 days 04:05:06.789`. A field after a
 * negative one carries an explicit `+`; the clock part has one sign for all of it; zero is `00:00:00`.
 */
export function intervalText(value: unknown): string {
  if (!isIntervalValue(value))
    throw wrongKind('an interval { months, days, microseconds } of integers', value);
  const time = BigInt(value.microseconds);
  if (!fitsInt32(value.months) || !fitsInt32(value.days) || time < INT64_MIN || time > INT64_MAX)
    throw new ValueRefusal('the interval does not fit PostgreSQL’s months, days and microseconds');
  const parts: string[] = [];
  let before = false; // the previous field was negative
  const add = (n: number, unit: string) => {
    if (n === 0) return;
    parts.push(`${before && n > 0 ? '+' : ''}${n} ${unit}${n === 1 ? '' : 's'}`);
    before = n < 0;
  };
  // C's / and % truncate toward zero, as Math.trunc and JavaScript's % do.
  add(Math.trunc(value.months / 12), 'year');
  add(value.months % 12, 'mon');
  add(value.days, 'day');
  if (parts.length === 0 || time !== 0n) {
    const negative = time < 0n;
    const magnitude = negative ? -time : time;
    const hours = magnitude / US_PER_HOUR;
    const minutes = (magnitude % US_PER_HOUR) / US_PER_MINUTE;
    const seconds = (magnitude % US_PER_MINUTE) / US_PER_SECOND;
    const fraction = magnitude % US_PER_SECOND;
    const pad = (n: bigint) => String(n).padStart(2, '0');
    let clock = `${negative ? '-' : before ? '+' : ''}${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
    if (fraction !== 0n) clock += `.${String(fraction).padStart(6, '0').replace(/0+$/, '')}`;
    parts.push(clock);
  }
  return parts.join(' ');
}
