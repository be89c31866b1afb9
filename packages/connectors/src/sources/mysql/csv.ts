import { Transform, type TransformCallback } from 'node:stream';
import { TerminalError } from '@dxa/errors';
import { T, isBinaryField, type FieldInfo } from './types.js';

/** Encodes one non-NULL raw value (the server's text, or bytes) as an interchange CSV field. */
type Encoder = (raw: Buffer) => string;

const NEEDS_QUOTES = /[",\r\n]/;

/** CSV quoting of docs/interchange.md: empty text and `\.` are quoted too (NULL is the bare empty field). */
export function csvField(text: string): string {
  if (text === '' || text === '\\.') return `"${text}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Zero dates and zero parts (`0000-00-00`, `2024-00-15`) exist only in MySQL: no target can hold them.
const ZERO_PART = /^\d{4}-(?:00|\d\d-00)/;

function temporal(name: string, suffix: string): Encoder {
  return (raw) => {
    const text = raw.toString('latin1');
    if (ZERO_PART.test(text))
      throw new TerminalError(
        'BAD_SQL',
        `column ${name} holds the zero date ${text}, which no target can represent; filter it out with "where" or select NULLIF(${name}, '0000-00-00') in a query`,
        { step: 'extract' },
      );
    return text + suffix;
  };
}

const bytes: Encoder = (raw) => `\\x${raw.toString('hex')}`;
const text: Encoder = (raw) => csvField(raw.toString('utf8'));
// Numbers, decimals, years and times never hold a quote, comma or newline.
const plain: Encoder = (raw) => raw.toString('latin1');

export function encoderFor(f: FieldInfo): Encoder {
  switch (f.columnType) {
    case T.DATE:
    case T.NEWDATE:
    case T.DATETIME:
      return temporal(f.name, '');
    case T.TIMESTAMP:
      return temporal(f.name, '+00'); // the session's time_zone is '+00:00'
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

const BATCH_CHARS = 256 * 1024;

/**
 * Rows (arrays of raw Buffers or null, mysql2 with `typeCast: false, rowsAsArray: true`) in,
 * interchange CSV bytes out, many rows per chunk. `setFields` must come before the first row: it
 * writes the header and picks each column's encoder from the result metadata.
 */
export class CsvEncoder extends Transform {
  private encoders: Encoder[] | undefined;
  private pending: string[] = [];
  private pendingChars = 0;

  constructor() {
    super({ writableObjectMode: true, writableHighWaterMark: 256, readableHighWaterMark: 1 << 20 });
  }

  setFields(fields: FieldInfo[]): void {
    this.encoders = fields.map(encoderFor);
    this.add(`${fields.map((f) => csvField(f.name)).join(',')}\n`);
  }

  private add(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= BATCH_CHARS) this.drain();
  }

  private drain(): void {
    if (this.pending.length === 0) return;
    this.push(Buffer.from(this.pending.join(''), 'utf8'));
    this.pending = [];
    this.pendingChars = 0;
  }

  override _transform(row: (Buffer | null)[], _enc: BufferEncoding, done: TransformCallback): void {
    const encoders = this.encoders;
    if (!encoders) return done(new Error('CsvEncoder: a row arrived before the result metadata'));
    try {
      let line = '';
      for (let i = 0; i < row.length; i++) {
        const raw = row[i];
        if (i > 0) line += ',';
        if (raw !== null && raw !== undefined) line += encoders[i]!(raw);
      }
      this.add(`${line}\n`);
      done();
    } catch (thrown) {
      done(thrown as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    this.drain();
    done();
  }
}
