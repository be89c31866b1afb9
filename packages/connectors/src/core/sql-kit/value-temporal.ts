import { DOT, type CsvBytes } from './csv-bytes.js';
import { ValueRefusal, wrongKind } from './value-refusal.js';
import { writeAscii, type ValueWriter } from './value-text.js';

/*
 * Dates and times as PostgreSQL prints them (DateStyle ISO, TimeZone UTC): `YYYY-MM-DD`, years
 * before 1 as `YYYY-MM-DD BC`, `HH:MM:SS` with up to six decimals and no trailing zeros,
 * timestamptz in UTC with `+00`. Calendar arithmetic is done on day numbers (proleptic Gregorian,
 * any year), so nothing depends on the process time zone or on Date's range.
 */

const DAY_MS = 86_400_000;
const DAY_US = 86_400_000_000;
const DASH = 0x2d;
const COLON = 0x3a;
const SPACE = 0x20;
const BC = ' BC';
const UTC = '+00';

/** Days since 1970-01-01 of an astronomical year (0 = 1 BC), month and day (H. Hinnant). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

const ZERO = 0x30;

function digits2(out: CsvBytes, n: number): void {
  const { buf } = out;
  buf[out.pos++] = ZERO + ((n / 10) | 0);
  buf[out.pos++] = ZERO + (n % 10);
}

/**
 * Writes `YYYY-MM-DD` of a day number and returns whether it is BC (the ` BC` goes after any
 * time). Years before 1 are counted back from 1 BC; years past 9999 take more digits.
 */
function writeCivil(out: CsvBytes, days: number): boolean {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const bc = year <= 0;
  const shown = bc ? 1 - year : year;
  out.reserve(16);
  if (shown < 10000) {
    digits2(out, (shown / 100) | 0);
    digits2(out, shown % 100);
  } else out.pos += out.buf.write(String(shown), out.pos, 'latin1');
  out.buf[out.pos++] = DASH;
  digits2(out, month);
  out.buf[out.pos++] = DASH;
  digits2(out, day);
  return bc;
}

/** Writes `HH:MM:SS[.ffffff]` of microseconds since midnight (up to 24:00:00), trailing zeros dropped. */
function writeClock(out: CsvBytes, us: number): void {
  out.reserve(15);
  const seconds = Math.floor(us / 1_000_000);
  const fraction = us - seconds * 1_000_000;
  digits2(out, (seconds / 3600) | 0);
  out.buf[out.pos++] = COLON;
  digits2(out, ((seconds % 3600) / 60) | 0);
  out.buf[out.pos++] = COLON;
  digits2(out, seconds % 60);
  if (fraction === 0) return;
  const { buf } = out;
  buf[out.pos++] = DOT;
  let rest = fraction;
  for (let i = 5; i >= 0; i--) {
    buf[out.pos + i] = ZERO + (rest % 10);
    rest = (rest / 10) | 0;
  }
  let end = out.pos + 6;
  while (buf[end - 1] === ZERO) end--;
  out.pos = end;
}

/** Rounds a count of tenths to whole units, ties to even (as PostgreSQL's rint). */
function roundHalfEven(tenths: number): number {
  const whole = Math.floor(tenths / 10);
  const rest = tenths - whole * 10;
  return rest > 5 || (rest === 5 && whole % 2 === 1) ? whole + 1 : whole;
}

/** Microseconds of a decimal fraction of a second (`5` → 500000), rounded to six digits; may be 1000000. */
function fractionUs(digits: string | undefined): number {
  if (digits === undefined || digits === '') return 0;
  if (digits.length <= 6) return Number(digits.padEnd(6, '0'));
  const whole = Number(digits.slice(0, 6));
  const next = digits.charCodeAt(6) - 48;
  const past = /[1-9]/.test(digits.slice(7));
  return next > 5 || (next === 5 && (past || whole % 2 === 1)) ? whole + 1 : whole;
}

type Instant = { days: number; us: number };

/**
 * A Date's day number and microseconds of that day (UTC), tedious' sub-millisecond part included;
 * rounding may reach 24:00:00 (a time keeps it, a timestamp moves to the next day).
 */
function instantOf(value: Date): Instant {
  const ms = value.getTime();
  if (ms !== ms) throw new ValueRefusal('the Date is invalid');
  const delta = (value as { nanosecondsDelta?: unknown }).nanosecondsDelta;
  // tedious: the part of datetime2/time beyond milliseconds, in seconds (100 ns steps).
  const extraUs = typeof delta === 'number' ? roundHalfEven(Math.round(delta * 1e7)) : 0;
  const days = Math.floor(ms / DAY_MS);
  return { days, us: (ms - days * DAY_MS) * 1000 + extraUs };
}

/** The same instant with its time of day inside [00:00:00, 24:00:00). */
function normalized(instant: Instant): Instant {
  if (instant.us >= DAY_US) return { days: instant.days + 1, us: instant.us - DAY_US };
  if (instant.us < 0) return { days: instant.days - 1, us: instant.us + DAY_US };
  return instant;
}

const DATE_TEXT = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/;
const TIME_TEXT = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;
const TIMESTAMP_TEXT =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?: ?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?))?( BC)?$/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})?:?(\d{2})?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The day number of a year, month and day as written (a BC year counted back from 1). */
function dayNumber(yearText: string, monthText: string, dayText: string, bc: boolean): number {
  const year = bc ? 1 - Number(yearText) : Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (bc && Number(yearText) === 0) throw new ValueRefusal('there is no year 0 BC');
  const last = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (last === undefined || day < 1 || day > last) throw new ValueRefusal('the text is not a calendar date');
  return daysFromCivil(year, month, day);
}

function clockUs(h: string, m: string, s: string, fraction: string | undefined): number {
  const hours = Number(h);
  const minutes = Number(m);
  const seconds = Number(s);
  if (hours > 24 || minutes > 59 || seconds > 59) throw new ValueRefusal('the text is not a time of day');
  const us = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + fractionUs(fraction);
  if (us > DAY_US) throw new ValueRefusal('the time is past 24:00:00');
  return us;
}

function offsetUs(text: string): number {
  if (text === 'Z') return 0;
  const match = OFFSET.exec(text)!;
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
  return (match[1] === '-' ? -seconds : seconds) * 1_000_000;
}

function infinite(value: string): string | undefined {
  return value === 'infinity' || value === '-infinity' ? value : undefined;
}

/** The day number of date text, or the text itself for ±infinity. */
function parseDate(value: string): number | string {
  const match = DATE_TEXT.exec(value);
  if (match) return dayNumber(match[1]!, match[2]!, match[3]!, match[4] !== undefined);
  const named = infinite(value);
  if (named !== undefined) return named;
  throw new ValueRefusal('the text is not a date (YYYY-MM-DD)');
}

/** A date: a Date at midnight UTC (tedious with useUTC) or `YYYY-MM-DD[ BC]` text, or ±infinity. */
export const writeDate: ValueWriter = (value, out) => {
  let days: number | string;
  if (value instanceof Date) {
    const instant = instantOf(value);
    if (instant.us !== 0)
      throw new ValueRefusal('the Date has a time of day (read in UTC); a date column takes midnight UTC');
    days = instant.days;
  } else if (typeof value === 'string') days = parseDate(value);
  else throw wrongKind('a Date or date text', value);
  if (typeof days === 'string') return writeAscii(out, days);
  if (writeCivil(out, days)) writeAscii(out, BC);
};

/** A time of day: a Date's UTC time (tedious hands TIME over on 1970-01-01) or `HH:MM:SS[.f]` text. */
export const writeTime: ValueWriter = (value, out) => {
  if (value instanceof Date) return writeClock(out, instantOf(value).us);
  if (typeof value !== 'string') throw wrongKind('a Date or time text', value);
  const match = TIME_TEXT.exec(value);
  if (!match) throw new ValueRefusal('the text is not a time of day (HH:MM:SS)');
  writeClock(out, clockUs(match[1]!, match[2]!, match[3]!, match[4]));
};

/** Day number and microseconds of that day (UTC) of timestamp text, or the text for ±infinity. */
function parseTimestamp(value: string, zoned: boolean): Instant | string {
  const match = TIMESTAMP_TEXT.exec(value);
  if (!match) {
    const named = infinite(value);
    if (named !== undefined) return named;
    throw new ValueRefusal('the text is not a timestamp (YYYY-MM-DD HH:MM:SS)');
  }
  const offset = match[8];
  if (zoned && offset === undefined)
    throw new ValueRefusal('timestamptz text needs its UTC offset (Z or +HH:MM)');
  if (!zoned && offset !== undefined) throw new ValueRefusal('timestamp text has no UTC offset');
  const days = dayNumber(match[1]!, match[2]!, match[3]!, match[9] !== undefined);
  const us =
    clockUs(match[4]!, match[5]!, match[6]!, match[7]) - (offset === undefined ? 0 : offsetUs(offset));
  return { days, us };
}

/**
 * A timestamp (zoned: timestamptz, printed in UTC): a Date (its UTC wall clock, tedious'
 * nanosecondsDelta included), or text `YYYY-MM-DD HH:MM:SS[.f][ BC]`, which for timestamptz
 * carries its UTC offset (`Z`, `+05:30`) and for timestamp has none; or ±infinity.
 */
export function timestampWriter(zoned: boolean): ValueWriter {
  return (value, out) => {
    let instant: Instant | string;
    if (value instanceof Date) instant = instantOf(value);
    else if (typeof value === 'string') instant = parseTimestamp(value, zoned);
    else throw wrongKind('a Date or timestamp text', value);
    if (typeof instant === 'string') return writeAscii(out, instant);
    // An offset, 24:00:00 or rounding moves the instant into the day before or after.
    const { days, us } = normalized(instant);
    const bc = writeCivil(out, days);
    out.buf[out.pos++] = SPACE; // writeCivil reserved room for it
    writeClock(out, us);
    if (zoned) writeAscii(out, UTC);
    if (bc) writeAscii(out, BC);
  };
}
