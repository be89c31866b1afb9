import { Readable } from 'node:stream';
import { TerminalError } from '@dxa/errors';
import { CsvBytes } from '../../core/sql-kit/csv-bytes.js';
import { T, isBinaryField, type FieldInfo } from './types.js';

// Local constants: the per-byte loops below compare against them (imported bindings cost more).
const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const NEEDS_QUOTES = /[",\r\n]/;
/** Rows are pushed in chunks of about this many bytes. */
const BATCH_BYTES = 256 * 1024;

/** CSV quoting of docs/interchange.md: empty text and `\.` are quoted too (NULL is the bare empty field). */
export function csvField(text: string): string {
  if (text === '' || text === '\\.') return `"${text}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes one non-NULL raw value (the server's text, or bytes) as an interchange CSV field. */
type FieldWriter = (raw: Buffer, out: CsvBytes) => void;

// Numbers, decimals, years and times never hold a quote, comma or newline.
const plain: FieldWriter = (raw, out) => {
  out.reserve(raw.length);
  out.copy(raw);
};

const bytes: FieldWriter = (raw, out) => {
  out.text(`\\x${raw.toString('hex')}`);
};

function needsQuotes(raw: Buffer): boolean {
  if (raw.length === 0 || (raw.length === 2 && raw[0] === BACKSLASH && raw[1] === DOT)) return true;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b === QUOTE || b === COMMA || b === NEWLINE || b === RETURN) return true;
  }
  return false;
}

const text: FieldWriter = (raw, out) => {
  if (!needsQuotes(raw)) return plain(raw, out);
  out.reserve(raw.length * 2 + 2);
  const { buf } = out;
  buf[out.pos++] = QUOTE;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    buf[out.pos++] = b;
    if (b === QUOTE) buf[out.pos++] = QUOTE;
  }
  buf[out.pos++] = QUOTE;
};

const ZERO = 0x30;
const UTC_SUFFIX = Buffer.from('+00');

// Zero dates and zero parts (`0000-00-00`, `2024-00-15`) exist only in MySQL: no target can hold them.
function temporal(name: string, utc: boolean): FieldWriter {
  return (raw, out) => {
    if ((raw[5] === ZERO && raw[6] === ZERO) || (raw[8] === ZERO && raw[9] === ZERO)) {
      const value = raw.toString('latin1');
      throw new TerminalError(
        'BAD_SQL',
        `column ${name} holds the zero date ${value}, which no target can represent; filter it out with "where" or select NULLIF(${name}, '0000-00-00') in a query`,
        { step: 'extract' },
      );
    }
    out.reserve(raw.length + UTC_SUFFIX.length);
    out.copy(raw);
    if (utc) out.copy(UTC_SUFFIX); // the session's time_zone is '+00:00'
  };
}

function writerFor(f: FieldInfo): FieldWriter {
  switch (f.columnType) {
    case T.DATE:
    case T.NEWDATE:
    case T.DATETIME:
      return temporal(f.name, false);
    case T.TIMESTAMP:
      return temporal(f.name, true);
    case T.TINY:
    case T.SHORT:
    case T.LONG:
    case T.INT24:
    case T.LONGLONG:
    case T.FLOAT:
    case T.DOUBLE:
    case T.DECIMAL:
    case T.NEWDECIMAL:
    case T.YEAR:
    case T.TIME:
      return plain;
    default:
      return isBinaryField(f) ? bytes : text;
  }
}

/**
 * Interchange CSV of a result set, fed row by row (arrays of raw Buffers or null, from mysql2 with
 * `typeCast: false, rowsAsArray: true`) and read as ~256 kB chunks. `addRow` returns false when
 * the reader is full: the caller pauses the connection until `_read` calls `resume`.
 */
export class CsvRows extends Readable {
  private writers: FieldWriter[] | undefined;
  private readonly out = new CsvBytes();

  constructor(private readonly resumeSource: () => void) {
    super({ highWaterMark: 1 << 20 });
  }

  override _read(): void {
    this.resumeSource();
  }

  /** Must come before the first row: writes the header and picks each column's writer. */
  setFields(fields: FieldInfo[]): void {
    this.writers = fields.map(writerFor);
    this.out.text(`${fields.map((f) => csvField(f.name)).join(',')}\n`);
  }

  /** Encodes one row; throws (a zero date) without writing anything of it. */
  addRow(row: (Buffer | null)[]): boolean {
    const writers = this.writers;
    if (!writers) throw new Error('CsvRows: a row arrived before the result metadata');
    const { out } = this;
    const start = out.pos;
    try {
      for (let i = 0; i < row.length; i++) {
        const raw = row[i];
        if (i > 0) {
          out.reserve(1);
          out.buf[out.pos++] = COMMA;
        }
        if (raw !== null && raw !== undefined) writers[i]!(raw, out);
      }
    } catch (thrown) {
      out.pos = start;
      throw thrown;
    }
    out.reserve(1);
    out.buf[out.pos++] = NEWLINE;
    return out.pos >= BATCH_BYTES ? this.push(out.take()) : true;
  }

  /** Pushes what is left and ends the stream. */
  finish(): void {
    if (this.out.pos > 0) this.push(this.out.take());
    this.push(null);
  }
}
