export const COMMA = 0x2c;
export const NEWLINE = 0x0a;
export const DOT = 0x2e;
/** Rows are pushed in chunks of about this many bytes. */
export const BATCH_BYTES = 256 * 1024;

/**
 * The CSV bytes being built by an encoder: fields are written straight into one buffer (no
 * string per row, no join), which is handed over whole every BATCH_BYTES.
 */
export class CsvBytes {
  buf = Buffer.allocUnsafe(BATCH_BYTES * 2);
  pos = 0;

  reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** Copies `raw` (space reserved by the caller); a loop beats a native call for short values. */
  copy(raw: Buffer): void {
    const { buf } = this;
    if (raw.length < 16) for (let i = 0; i < raw.length; i++) buf[this.pos + i] = raw[i]!;
    else buf.set(raw, this.pos);
    this.pos += raw.length;
  }

  text(value: string): void {
    this.reserve(Buffer.byteLength(value));
    this.pos += this.buf.write(value, this.pos, 'utf8');
  }

  /** The bytes so far; later writes go to a new buffer (the consumer keeps this one). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(BATCH_BYTES * 2);
    this.pos = 0;
    return out;
  }
}
