import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { partName, writeBuffers } from './part-files.js';

/**
 * Bytes per segment file. DuckDB 1.5 keeps what its JSON functions parsed until a serially scanned
 * CSV file ends (a 150 MB part of JSON documents ran out of the 128 MB limit); a list of segments
 * releases it after each one, so a segment bounds that memory.
 */
export const SEGMENT_BYTES = 16 * 1024 * 1024;

type Segment = { file: WriteStream; done: Promise<void>; bytes: number };

/**
 * The uncompressed CSV of one part, written before DuckDB turns it into Parquet: segment files of
 * about SEGMENT_BYTES, each starting with the header and cut at row boundaries (pieces are whole
 * rows), so DuckDB reads them as one list.
 */
export class TempCsv {
  readonly paths: string[] = [];
  rows = 0;
  /** Bytes of the part's CSV, counting the header once. */
  bytes = 0;
  /** Set when a quoted field in this part may hold a newline (see ReadCsvOptions.parallel). */
  quotedNewlines = false;
  private segment: Segment;

  constructor(
    private readonly dir: string,
    readonly index: number,
    private readonly header: Buffer,
    /** Told of each file before it is created, so a failed writer can remove it. */
    private readonly onCreate: (path: string) => void,
  ) {
    this.segment = this.openSegment();
    this.bytes = header.length;
  }

  private openSegment(): Segment {
    const path = join(this.dir, `${partName(this.index, 'csv')}.${this.paths.length + 1}.tmp`);
    this.onCreate(path);
    this.paths.push(path);
    const file = createWriteStream(path, { highWaterMark: 1 << 20 });
    const done = finished(file);
    done.catch(() => undefined);
    file.write(this.header);
    return { file, done, bytes: this.header.length };
  }

  /** Appends whole rows, starting a new segment once the current one is full. */
  async write(buffers: Buffer[], bytes: number, rows: number): Promise<void> {
    if (this.segment.bytes >= SEGMENT_BYTES) {
      await this.closeSegment();
      this.segment = this.openSegment();
    }
    await writeBuffers(this.segment.file, buffers, this.segment.done);
    this.segment.bytes += bytes;
    this.bytes += bytes;
    this.rows += rows;
  }

  private async closeSegment(): Promise<void> {
    this.segment.file.end();
    await this.segment.done;
  }

  async close(): Promise<void> {
    await this.closeSegment();
  }

  async destroy(): Promise<void> {
    this.segment.file.destroy();
    await this.segment.done.catch(() => undefined);
  }
}
