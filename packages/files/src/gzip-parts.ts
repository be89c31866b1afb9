import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { addAbortSignal } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { CsvRowSplitter, csvPieces } from './csv-parts.js';
import {
  CreatedFiles,
  missingHeader,
  partName,
  pieceBytesFor,
  writeBuffers,
  writerFailure,
} from './part-files.js';
import type { PartWriter, PartWriterOptions, WrittenFile } from './types.js';

// zlib runs each write on the libuv threadpool; a large input buffer lets the main thread read
// ahead from the source while a block is being compressed. Compressed bytes are only counted once
// zlib gets to them, so the buffer is kept well below the part size to roll parts near it.
function gzipOptions(fileSizeBytes: number) {
  const highWaterMark = Math.max(64 * 1024, Math.min(4 << 20, Math.floor(fileSizeBytes / 4)));
  return { level: 1, chunkSize: 128 * 1024, highWaterMark };
}

/** One `.csv.gz` part being written: gzip → (count, sha256) → `<name>.partial`. */
class GzipPart {
  readonly name: string;
  readonly partialPath: string;
  readonly finalPath: string;
  rows = 0;
  /** Compressed bytes written so far. */
  bytes = 0;
  private readonly gzip: Gzip;
  private readonly hash: Hash = createHash('sha256');
  private readonly done: Promise<void>;

  constructor(dir: string, index: number, header: Buffer, fileSizeBytes: number) {
    this.name = partName(index, 'csv.gz');
    this.finalPath = join(dir, this.name);
    this.partialPath = `${this.finalPath}.partial`;
    this.gzip = createGzip(gzipOptions(fileSizeBytes));
    const tally = async function* (this: GzipPart, source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of source) {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        yield chunk;
      }
    }.bind(this);
    this.done = pipeline(this.gzip, tally, createWriteStream(this.partialPath));
    // Observed through write() and finish(); this keeps an early failure from being unhandled.
    this.done.catch(() => undefined);
    this.gzip.write(header);
  }

  /**
   * One zlib write per piece: every write is a round trip to the threadpool (a thread woken, a
   * completion posted back), which costs more than compressing one socket read's few kilobytes.
   */
  write(buffers: Buffer[], bytes: number): Promise<void> {
    return writeBuffers(this.gzip, buffers.length > 1 ? [Buffer.concat(buffers, bytes)] : buffers, this.done);
  }

  async finish(): Promise<WrittenFile> {
    this.gzip.end();
    await this.done;
    await rename(this.partialPath, this.finalPath);
    return {
      localPath: this.finalPath,
      name: this.name,
      rows: this.rows,
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
    };
  }

  async destroy(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => undefined);
  }
}

type GzipRun = {
  files: WrittenFile[];
  created: CreatedFiles;
  part: GzipPart | undefined;
  reportedBytes: number;
};

function openPart(run: GzipRun, options: PartWriterOptions, header: Buffer): GzipPart {
  const part = new GzipPart(options.dir, run.files.length + 1, header, options.fileSizeBytes);
  run.created.add(part.partialPath, part.finalPath);
  run.reportedBytes = 0;
  return part;
}

async function closePart(run: GzipRun, part: GzipPart, options: PartWriterOptions): Promise<void> {
  run.part = undefined;
  const file = await part.finish();
  run.files.push(file);
  options.onProgress?.({ rows: 0, bytes: file.bytes - run.reportedBytes, files: 1 });
}

async function writeAll(run: GzipRun, options: PartWriterOptions): Promise<void> {
  const splitter = new CsvRowSplitter(pieceBytesFor(options.fileSizeBytes));
  for await (const piece of csvPieces(options.input, splitter)) {
    const part = run.part ?? (run.part = openPart(run, options, splitter.header ?? Buffer.alloc(0)));
    await part.write(piece.buffers, piece.bytes);
    part.rows += piece.rows;
    options.onProgress?.({ rows: piece.rows, bytes: part.bytes - run.reportedBytes, files: 0 });
    run.reportedBytes = part.bytes;
    if (part.bytes >= options.fileSizeBytes) await closePart(run, part, options);
  }
  if (splitter.header === undefined) throw missingHeader();
  // A source without rows still yields one part holding the header, so loaders see the columns.
  const last = run.part ?? (run.files.length === 0 ? openPart(run, options, splitter.header) : undefined);
  if (last) await closePart(run, last, options);
}

/**
 * Gzip CSV parts (`part-00001.csv.gz`, …), each starting with the header line and rolled when its
 * compressed size reaches `fileSizeBytes`. A part is written to `<name>.partial` and renamed when
 * complete; on failure or abort every part is deleted and the promise rejects.
 */
export const writeCsvGzipParts: PartWriter = async (options) => {
  await mkdir(options.dir, { recursive: true });
  const run: GzipRun = { files: [], created: new CreatedFiles(), part: undefined, reportedBytes: 0 };
  addAbortSignal(options.signal, options.input);
  try {
    await writeAll(run, options);
    return run.files;
  } catch (thrown) {
    options.input.destroy();
    await run.part?.destroy();
    await run.created.removeAll();
    throw writerFailure(thrown, options.signal);
  }
};
