import { execFileSync } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationConnector, LoadFile } from '../../core/types.js';
import { createDuckdbDestination } from './destination.js';
import {
  COLUMNS,
  ctx,
  logger,
  makeFixture,
  query,
  request,
  scratchTables,
  stageParts,
  withDb,
  type Fixture,
} from './test-support.js';

let fx: Fixture;
let dest: DestinationConnector;

const PREVIOUS = `CREATE TABLE orders (id INTEGER, name VARCHAR, amount DECIMAL(12,2), flag BOOLEAN, data BLOB, ts TIMESTAMP, "Day Of" DATE);
  INSERT INTO orders (id, name) VALUES (100, 'old-a'), (101, 'old-b')`;
const SNAPSHOT = 'SELECT * FROM orders ORDER BY id';

beforeEach(async () => {
  fx = await makeFixture();
  dest = createDuckdbDestination({ type: 'duckdb', path: fx.dbFile, memory_limit: '256MB' }, logger);
  await withDb(fx.dbFile, (run) => run(PREVIOUS));
});

afterEach(async () => {
  await fx.cleanup();
});

function drainedOrClosed(writer: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      writer.off('drain', done);
      writer.off('close', done);
      resolve();
    };
    writer.on('drain', done);
    writer.on('close', done);
  });
}

/** A good first part followed by a second "part" that is garbage. */
async function goodThenGarbage(format: 'parquet' | 'csv'): Promise<LoadFile[]> {
  const files = await stageParts(fx, format);
  const second = files[1];
  if (!second) throw new Error('expected two parts');
  await writeFile(
    fx.stage.localPath(second.relPath) ?? '',
    format === 'csv' ? 'id,name\n1,2,3,4\n' : 'this is not parquet',
  );
  return files;
}

// All-or-nothing in every mode, wrong manifest counts and aborts before work: contract.test.ts.
describe('DuckDB load failures', () => {
  it('name the part DuckDB failed on and leave the previous table', async () => {
    const before = await query(fx.dbFile, SNAPSHOT);
    const files = await goodThenGarbage('parquet');
    await expect(
      dest.load(request('orders', 'replace', 'parquet', files), fx.stage, ctx),
    ).rejects.toMatchObject({
      name: 'TerminalError',
      code: 'LOAD_ERROR',
      message: expect.stringMatching(
        /^loading part-00002\.parquet into orders in DuckDB failed: /,
      ) as unknown,
    });
    expect(await query(fx.dbFile, SNAPSHOT)).toEqual(before);
  });

  it('a value that does not fit its column fails loudly without echoing the row', async () => {
    const rel = 'run1/part-00001.csv.gz';
    const file = fx.stage.localPath(rel) ?? '';
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file.replace(/\.gz$/, ''),
      'id,name,amount,flag,data,ts,Day Of\nnot-a-number-secret-row,x,,,,,\n',
    );
    execFileSync('gzip', [file.replace(/\.gz$/, '')]);
    const error = await dest
      .load(
        request('orders', 'truncate', 'csv', [{ relPath: rel, localPath: undefined, rows: 1 }]),
        fx.stage,
        ctx,
      )
      .then(
        () => undefined,
        (err: unknown) => err as Error,
      );
    expect(error).toMatchObject({ name: 'TerminalError', code: 'LOAD_ERROR' });
    expect(error?.message).toContain('orders');
    expect(error?.message).not.toContain('\n');
    expect(await query(fx.dbFile, SNAPSHOT)).toHaveLength(2);
  });
});

describe('aborting a DuckDB load', () => {
  it('interrupts the running statement, rolls back and releases the file', async () => {
    const before = await query(fx.dbFile, SNAPSHOT);
    // The part is a FIFO fed forever: only the abort can end this load.
    const fifo = fx.stage.localPath('run1/part-00001.csv') ?? '';
    await mkdir(path.dirname(fifo), { recursive: true });
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    writer.on('error', () => undefined);
    const controller = new AbortController();
    let written = 0;
    const pump = async () => {
      writer.write(`${COLUMNS.map((c) => `"${c.name}"`).join(',')}\n`);
      while (!writer.destroyed) {
        const chunk = Array.from(
          { length: 1000 },
          (_, i) => `${written + i},n,1.00,t,\\x00,2024-01-01 00:00:00,2024-01-01\n`,
        ).join('');
        written += 1000;
        // Abort once DuckDB is demonstrably consuming the part.
        if (written === 200_000) controller.abort();
        if (!writer.write(chunk)) await drainedOrClosed(writer);
      }
    };
    const pumping = pump();
    const files = [{ relPath: 'run1/part-00001.csv', localPath: undefined, rows: 1 }];
    await expect(
      dest.load(request('orders', 'truncate', 'csv', files), fx.stage, { signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'CancelledError',
      code: 'CANCELLED',
    });
    writer.destroy();
    await pumping;
    expect(await query(fx.dbFile, SNAPSHOT)).toEqual(before);
    expect(await scratchTables(fx.dbFile)).toEqual([]);
  });

  it('does not start once aborted', async () => {
    const files = await stageParts(fx, 'parquet');
    const reason = new Error('worker shutting down');
    await expect(
      dest.load(request('orders', 'replace', 'parquet', files), fx.stage, {
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);
    expect(await query(fx.dbFile, 'SELECT count(*) FROM orders')).toEqual([[2n]]);
  });
});
