import { Readable } from 'node:stream';
import type { Connection } from 'pg';

// Backend message types seen during COPY OUT (PostgreSQL protocol, "COPY Operations").
const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const COPY_OUT_RESPONSE = 0x48; // 'H'
const PARAMETER_STATUS = 0x53; // 'S'
const NOTICE = 0x4e; // 'N'
const NOTIFICATION = 0x41; // 'A'
const HEADER_BYTES = 5;

/** Messages consumed here; any other one (an error, the command's end) goes back to pg's parser. */
function consumedHere(code: number): boolean {
  return (
    code === COPY_DATA ||
    code === COPY_DONE ||
    code === COPY_OUT_RESPONSE ||
    code === PARAMETER_STATUS ||
    code === NOTICE ||
    code === NOTIFICATION
  );
}

type DataHandler = (chunk: Buffer) => void;

/**
 * `COPY … TO STDOUT` as a Readable of the copied bytes, submitted to a pg client like
 * pg-copy-streams' reader (it takes the socket over until CopyDone, then hands it back).
 *
 * The server sends one CopyData message per row, so a reader that slices and re-joins every
 * message spends most of a worker's CPU on headers. This one strips the 5-byte headers by moving
 * each row's bytes left inside the socket's own chunk (copyWithin, no allocation per row) and
 * pushes one view of the chunk. The chunk is ours alone: the socket hands each read to one reader.
 */
export class CopyOutStream extends Readable {
  /** Rows received (CopyData messages). */
  rows = 0;
  private connection: Connection | undefined;
  private pgDataHandler: DataHandler | undefined;
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private code = 0;
  /** Payload bytes of the current message not yet seen. */
  private remaining = 0;
  private drained = false;
  private forwarding = false;
  private finished = false;
  private readonly onReadable = () => this.forward();
  private readonly wrapError: (err: Error) => Error;

  constructor(
    private readonly text: string,
    options: { highWaterMark?: number; wrapError?: (err: Error) => Error } = {},
  ) {
    super(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark });
    this.wrapError = options.wrapError ?? ((err) => err);
  }

  /** Called by pg when the query reaches the connection. */
  submit(connection: Connection): void {
    this.connection = connection;
    const socket = connection.stream;
    const handlers = socket.listeners('data') as DataHandler[];
    const pgHandler = handlers[0];
    if (handlers.length !== 1 || pgHandler === undefined)
      throw new Error(`expected one data listener on the socket, found ${handlers.length}`);
    this.pgDataHandler = pgHandler;
    socket.removeListener('data', pgHandler);
    socket.pause();
    socket.on('readable', this.onReadable);
    connection.query(this.text);
  }

  /** pg reports server errors and socket failures here. */
  handleError(err: Error): void {
    this.destroy(this.wrapError(err));
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {}

  override _read(): void {
    this.drained = true;
    this.forward();
  }

  private forward(): void {
    if (this.forwarding || !this.drained || this.finished || !this.connection) return;
    this.forwarding = true;
    const socket = this.connection.stream;
    let chunk: Buffer | null;
    while (this.drained && !this.finished && (chunk = socket.read() as Buffer | null) !== null) {
      this.drained = this.parse(chunk);
    }
    this.forwarding = false;
  }

  /** Strips message headers in place; returns whether the consumer wants more. */
  private parse(chunk: Buffer): boolean {
    const end = chunk.length;
    let pos = 0;
    let out = 0;
    let rows = 0;
    let handBack: Buffer | undefined;
    while (pos < end) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, end - pos);
        if (this.code === COPY_DATA) {
          if (out !== pos) chunk.copyWithin(out, pos, pos + n);
          out += n;
        }
        pos += n;
        this.remaining -= n;
        continue;
      }
      let code: number;
      let length: number;
      const start = pos;
      if (this.headerFill === 0 && end - pos >= HEADER_BYTES) {
        code = chunk[pos]!;
        length = chunk.readUInt32BE(pos + 1);
        pos += HEADER_BYTES;
      } else {
        // A header split across socket reads.
        const n = Math.min(HEADER_BYTES - this.headerFill, end - pos);
        chunk.copy(this.header, this.headerFill, pos, pos + n);
        this.headerFill += n;
        pos += n;
        if (this.headerFill < HEADER_BYTES) break;
        this.headerFill = 0;
        code = this.header[0]!;
        length = this.header.readUInt32BE(1);
      }
      if (!consumedHere(code)) {
        const whole = pos - start === HEADER_BYTES;
        handBack = whole ? chunk.subarray(start) : Buffer.concat([this.header, chunk.subarray(pos)]);
        break;
      }
      this.code = code;
      this.remaining = length - 4;
      if (code === COPY_DATA) rows += 1;
      if (code === COPY_DONE) {
        handBack = chunk.subarray(pos);
        break;
      }
    }
    this.rows += rows;
    let wanted = true;
    if (out > 0) wanted = this.push(chunk.subarray(0, out));
    if (handBack !== undefined) this.finish(handBack);
    return wanted;
  }

  /** Gives the socket back to pg with the bytes after the COPY data, and ends the stream. */
  private finish(rest: Buffer): void {
    this.finished = true;
    const socket = this.connection!.stream;
    const handler = this.pgDataHandler!;
    socket.removeListener('readable', this.onReadable);
    socket.on('data', handler);
    handler(rest);
    // Resumed on the next tick: the handler may pause the socket while it runs.
    process.nextTick(() => socket.resume());
    // An error message handed back ends the stream through handleError instead.
    if (rest.length === 0 || rest[0] !== 0x45) this.push(null);
  }
}
