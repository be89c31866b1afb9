import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { TerminalError } from '@dxa/errors';
import { BATCH_BYTES, COMMA, CsvBytes, NEWLINE } from './csv-bytes.js';
import { ValueRefusal } from './value-refusal.js';
import { writeText, type ValueWriter } from './value-text.js';
import { writerFor, type CsvColumn } from './value-writers.js';

export type { CsvColumn } from './value-writers.js';

const ignore = (): void => undefined;
const YIELD_ROWS = 4096;

/**
 * Interchange CSV (docs/interchange.md, byte for byte what PostgreSQL's COPY writes for the same
 * values) of rows of JavaScript values, for drivers that hand values over row by row (tedious,
 * teradatasql). Rows are arrays in column order; null and undefined are NULL. Read as ~256 kB
 * chunks: `addRow` returns false when the reader is full, and the source is resumed through
 * `resumeSource` when it wants more. A value its column cannot hold fails with a TerminalError
 * naming the column and the row, never the value.
 */
export class ValueRowsCsv extends Readable {
  private readonly writers: ValueWriter[];
  private readonly out = new CsvBytes();
  /** Data rows encoded so far. */
  rows = 0;

  constructor(
    private readonly columns: readonly CsvColumn[],
    private readonly resumeSource: () => void = ignore,
  ) {
    super({ highWaterMark: 1 << 20 });
    if (columns.length === 0) throw new Error('ValueRowsCsv: a result has at least one column');
    const lonely = columns.length === 1;
    this.writers = columns.map((column) => writerFor(column, lonely));
    // The header: the names, quoted by the same rules as text.
    columns.forEach((column, i) => {
      if (i > 0) this.byte(COMMA);
      writeText(this.out, column.name, lonely);
    });
    this.byte(NEWLINE);
  }

  override _read(): void {
    this.resumeSource();
  }

  /** Encodes one row; throws (nothing of the row written) when a value does not fit its column. */
  addRow(values: readonly unknown[]): boolean {
    const { out, writers } = this;
    const row = ++this.rows;
    if (values.length !== writers.length)
      throw new TerminalError(
        'INTERNAL',
        `row ${row} has ${values.length} values for ${writers.length} columns`,
        { step: 'extract' },
      );
    const start = out.pos;
    let i = 0;
    try {
      for (; i < writers.length; i++) {
        if (i > 0) this.byte(COMMA);
        const value = values[i];
        if (value !== null && value !== undefined) writers[i]!(value, out);
      }
    } catch (thrown) {
      out.pos = start;
      throw this.refused(thrown, i, row);
    }
    this.byte(NEWLINE);
    return out.pos >= BATCH_BYTES ? this.push(out.take()) : true;
  }

  /** Pushes what is left and ends the stream. */
  finish(): void {
    if (this.out.pos > 0) this.push(this.out.take());
    this.push(null);
  }

  private byte(b: number): void {
    this.out.reserve(1);
    this.out.buf[this.out.pos++] = b;
  }

  private refused(thrown: unknown, index: number, row: number): Error {
    if (!(thrown instanceof ValueRefusal)) return thrown as Error;
    const column = this.columns[index]!;
    return new TerminalError(
      thrown.code,
      `column "${column.name}" (${column.type}), row ${row}: ${thrown.message}`,
      {
        step: 'extract',
      },
    );
  }
}

/**
 * The interchange CSV of `rows` (arrays of values in column order, from any iterable or async
 * iterable, e.g. a cursor's batches flattened) as a byte stream that pulls rows only while its
 * reader wants more. The rows' iterator is closed when the stream closes early.
 */
export function encodeRows(
  columns: readonly CsvColumn[],
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
): Readable {
  const iterator = Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
  let pulling = false;
  let ended = false;
  const csv: ValueRowsCsv = new ValueRowsCsv(columns, () => void pull());
  async function pull(): Promise<void> {
    if (pulling || ended) return;
    pulling = true;
    try {
      while (!csv.destroyed) {
        const pending = iterator.next();
        // A plain iterable is read without a microtask per row.
        const next = pending instanceof Promise ? await pending : pending;
        if (next.done) {
          ended = true;
          csv.finish();
          return;
        }
        if (!csv.addRow(next.value)) return;
        // Let timers and I/O (an abort) in now and then while a plain iterable keeps up.
        if (csv.rows % YIELD_ROWS === 0) await setImmediate();
      }
    } catch (thrown) {
      csv.destroy(thrown as Error);
    } finally {
      pulling = false;
    }
  }
  csv.once('close', () => {
    if (!ended) void Promise.resolve(iterator.return?.()).catch(ignore);
  });
  return csv;
}
