const QUOTE = 0x22;
const NEWLINE = 0x0a;
const LINE_END = Buffer.from('\n');

/**
 * Whole CSV rows, as slices of the input chunks (no copying). `quotedNewlines` counts quoted fields
 * holding a newline: DuckDB's parallel CSV scan can misplace a row start inside such a field.
 */
export type CsvPiece = { buffers: Buffer[]; bytes: number; rows: number; quotedNewlines: number };

/**
 * Cuts interchange CSV into pieces that end at row boundaries. The first row is the header and
 * is kept apart. A `"` toggles the quoted state (`""` toggles twice), so a newline inside a
 * quoted field never ends a row. Bytes are scanned with Buffer.indexOf, not per character.
 */
export class CsvRowSplitter {
  /** The header line including its newline, once seen. */
  header: Buffer | undefined;
  /** Data rows seen so far (the header excluded). */
  rows = 0;
  private inQuote = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingRows = 0;
  private pendingQuoted = 0;

  /** @param pieceBytes a piece is emitted at the first row boundary after this many bytes */
  constructor(private readonly pieceBytes: number) {}

  push(chunk: Buffer): CsvPiece[] {
    const out: CsvPiece[] = [];
    let start = 0;
    let pos = 0;
    // `q` and `n` cache the next quote and newline at or after `pos`, so each byte is looked at by
    // indexOf at most once per kind.
    let q = chunk.indexOf(QUOTE, 0);
    let n = -2;
    while (pos < chunk.length) {
      if (this.inQuote) {
        if (n !== -1 && n < pos) n = chunk.indexOf(NEWLINE, pos);
        if (n !== -1 && (q === -1 || n < q)) this.pendingQuoted += 1;
        if (q === -1) break;
        this.inQuote = false;
        pos = q + 1;
        q = chunk.indexOf(QUOTE, pos);
        continue;
      }
      if (n !== -1 && n < pos) n = chunk.indexOf(NEWLINE, pos);
      if (n !== -1 && (q === -1 || n < q)) {
        pos = n + 1;
        if (this.rowEnd(chunk, start, pos, out)) start = pos;
      } else if (q !== -1) {
        this.inQuote = true;
        pos = q + 1;
        q = chunk.indexOf(QUOTE, pos);
      } else {
        break;
      }
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
    }
    return out;
  }

  /** Handles a row ending at `boundary`; returns true when bytes up to it were taken. */
  private rowEnd(chunk: Buffer, start: number, boundary: number, out: CsvPiece[]): boolean {
    if (this.header === undefined) {
      this.header = Buffer.concat([...this.pending, chunk.subarray(start, boundary)]);
      this.resetPending();
      return true;
    }
    this.pendingRows += 1;
    this.rows += 1;
    if (this.pendingBytes + (boundary - start) < this.pieceBytes) return false;
    out.push(this.takePiece(chunk.subarray(start, boundary)));
    return true;
  }

  /** Flushes the last piece; a final row without a newline gets one. */
  end(): CsvPiece[] {
    if (this.inQuote) throw new Error('CSV input ends inside a quoted field');
    const last = this.pending.at(-1);
    const unterminated = last !== undefined && last[last.length - 1] !== NEWLINE;
    if (this.header === undefined) {
      if (this.pendingBytes > 0) this.header = Buffer.concat([...this.pending, LINE_END]);
      this.resetPending();
      return [];
    }
    if (unterminated) {
      this.pendingRows += 1;
      this.rows += 1;
      return [this.takePiece(LINE_END)];
    }
    return this.pendingBytes > 0 ? [this.takePiece(undefined)] : [];
  }

  private takePiece(tail: Buffer | undefined): CsvPiece {
    const buffers = tail === undefined || tail.length === 0 ? this.pending : [...this.pending, tail];
    const bytes = this.pendingBytes + (tail?.length ?? 0);
    const piece = { buffers, bytes, rows: this.pendingRows, quotedNewlines: this.pendingQuoted };
    this.resetPending();
    return piece;
  }

  private resetPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingRows = 0;
    this.pendingQuoted = 0;
  }
}

/**
 * Async iteration over the input (so back-pressure holds: the next chunk is read only when the
 * consumer asks for the next piece). The header is available on the splitter after the first piece,
 * or after the iteration ends for an input without data rows.
 */
export async function* csvPieces(
  input: AsyncIterable<unknown>,
  splitter: CsvRowSplitter,
): AsyncGenerator<CsvPiece> {
  for await (const chunk of input) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    yield* splitter.push(buf);
  }
  yield* splitter.end();
}
