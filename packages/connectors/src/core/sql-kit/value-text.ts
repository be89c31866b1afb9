import type { CsvBytes } from './csv-bytes.js';
import { ValueRefusal, wrongKind } from './value-refusal.js';

/** Writes one non-NULL value as an interchange CSV field, or throws a ValueRefusal. */
export type ValueWriter = (value: unknown, out: CsvBytes) => void;

const NEEDS_QUOTES = /[",\r\n]/;
const HEX = '0123456789abcdef';
const T = 0x74;
const F = 0x66;

/** Text that cannot hold a quote, comma or newline (numbers, dates), one byte per character. */
export function writeAscii(out: CsvBytes, text: string): void {
  out.reserve(text.length);
  const { buf } = out;
  if (text.length < 32) for (let i = 0; i < text.length; i++) buf[out.pos++] = text.charCodeAt(i);
  else out.pos += buf.write(text, out.pos, 'latin1');
}

/**
 * Text as a CSV field (PostgreSQL's CopyAttributeOutCSV): quoted when it holds `"`, `,`, CR or LF,
 * is empty (only NULL is the bare empty field), or is `\.` alone on its line (a one-column table).
 */
export function writeText(out: CsvBytes, text: string, lonely: boolean): void {
  if (text.length === 0 || NEEDS_QUOTES.test(text) || (lonely && text === '\\.')) {
    text = `"${text.replaceAll('"', '""')}"`;
  }
  // UTF-8 takes at most three bytes per UTF-16 unit; long values are measured instead.
  out.reserve(text.length < 4096 ? text.length * 3 : Buffer.byteLength(text));
  out.pos += out.buf.write(text, out.pos, 'utf8');
}

export function checkedText(value: unknown): string {
  if (typeof value !== 'string') throw wrongKind('a string', value);
  // A lone surrogate has no UTF-8 form: writing it would silently become U+FFFD.
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed())
    throw new ValueRefusal('the text holds an unpaired UTF-16 surrogate, which has no UTF-8 form', 'BAD_SQL');
  return value;
}

export function writeBinary(value: unknown, out: CsvBytes): void {
  if (!(value instanceof Uint8Array)) throw wrongKind('a Buffer or Uint8Array', value);
  out.reserve(2 + value.length * 2);
  const { buf } = out;
  buf[out.pos++] = 0x5c; // \
  buf[out.pos++] = 0x78; // x
  if (value.length > 64) {
    const bytes = Buffer.isBuffer(value)
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    out.pos += buf.write(bytes.toString('hex'), out.pos, 'latin1');
    return;
  }
  for (let i = 0; i < value.length; i++) {
    const byte = value[i]!;
    buf[out.pos++] = HEX.charCodeAt(byte >> 4);
    buf[out.pos++] = HEX.charCodeAt(byte & 15);
  }
}

export function writeBoolean(value: unknown, out: CsvBytes): void {
  if (typeof value !== 'boolean') throw wrongKind('a boolean', value);
  out.reserve(1);
  out.buf[out.pos++] = value ? T : F;
}

const DASH = 0x2d;

function notUuid(): ValueRefusal {
  return new ValueRefusal('the text is not a uuid (8-4-4-4-12 hex digits)');
}

/** A uuid's text, lower-cased as PostgreSQL prints it (tedious hands uniqueidentifier over upper-case). */
export const writeUuid: ValueWriter = (value, out) => {
  if (typeof value !== 'string') throw wrongKind('uuid text', value);
  if (value.length !== 36) throw notUuid();
  out.reserve(36);
  const { buf } = out;
  const start = out.pos;
  for (let i = 0; i < 36; i++) {
    let c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== DASH) throw notUuid();
    } else if (c >= 0x41 && c <= 0x46) c += 0x20;
    else if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) throw notUuid();
    buf[start + i] = c;
  }
  out.pos = start + 36;
};
