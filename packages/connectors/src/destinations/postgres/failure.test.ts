import { execFileSync } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationConnector, LoadFile } from '../../core/types.js';
import { createPostgresDestination } from './destination.js';
import {
  busyBackends,
  ctx,
  eventually,
  logger,
  makeFixture,
  request,
  scratchTables,
  type Fixture,
} from './test-support.js';

let fx: Fixture;
let dest: DestinationConnector;

const SNAPSHOT = 'SELECT id, t FROM orders ORDER BY id';

beforeAll(async () => {
  fx = await makeFixture();
  dest = createPostgresDestination(fx.conn, logger);
});
afterAll(async () => {
  await dest?.close();
  await fx?.cleanup();
});
beforeEach(async () => {
  await fx.db.query(`DROP TABLE IF EXISTS orders; CREATE TABLE orders (LIKE src);
    INSERT INTO orders (id, t) VALUES (100, 'old-a'), (101, 'old-b')`);
});

async function snapshot(): Promise<unknown[]> {
  return (await fx.db.query(SNAPSHOT)).rows;
}

/** The good first part followed by a copy of the second whose content is garbage. */
async function goodThenGarbage(format: 'csv' | 'parquet'): Promise<LoadFile[]> {
  const [first, second] = fx.parts[format];
  if (!first || !second) throw new Error('expected two parts');
  const relPath = `bad/${path.basename(second.relPath)}`;
  const file = fx.stage.localPath(relPath) ?? '';
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, format === 'csv' ? gzipSync('id,b\n1,2,3,4\n') : 'this is not parquet');
  return [first, { ...second, relPath }];
}

describe('PostgreSQL load failures leave the previous table as it was', () => {
  const cases = [
    ['replace', 'csv'],
    ['truncate', 'csv'],
    ['append', 'csv'],
    ['replace', 'parquet'],
    ['truncate', 'parquet'],
  ] as const;
  it.each(cases)('%s with a garbage second %s part', async (mode, format) => {
    const before = await snapshot();
    const files = await goodThenGarbage(format);
    await expect(dest.load(request(fx, 'orders', mode, format, files), fx.stage, ctx)).rejects.toMatchObject({
      name: 'TerminalError',
      code: 'LOAD_ERROR',
      step: 'load',
      message: expect.stringContaining('orders') as unknown,
    });
    expect(await snapshot()).toEqual(before);
    expect(await scratchTables(fx)).toEqual([]);
  });

  it('create from a garbage part leaves no table behind', async () => {
    const files = await goodThenGarbage('csv');
    await expect(
      dest.load(request(fx, 'fresh.orders', 'create', 'csv', files), fx.stage, ctx),
    ).rejects.toMatchObject({ code: 'LOAD_ERROR' });
    expect(await dest.tableExists('fresh.orders', ctx)).toBe(false);
  });

  it('create on an existing table fails with TARGET_EXISTS and changes nothing', async () => {
    const before = await snapshot();
    await expect(dest.load(request(fx, 'orders', 'create', 'csv'), fx.stage, ctx)).rejects.toMatchObject({
      name: 'TerminalError',
      code: 'TARGET_EXISTS',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('a value that does not fit its column fails without echoing the row', async () => {
    const relPath = 'bad/value.csv.gz';
    await writeFile(fx.stage.localPath(relPath) ?? '', gzipSync('id,t\nnot-a-number-secret-row,x\n'));
    const files = [{ relPath, localPath: undefined, rows: 1 }];
    const columns = fx.columns.filter((c) => c.name === 'id' || c.name === 't');
    const error = await dest
      .load({ ...request(fx, 'orders', 'truncate', 'csv', files), columns }, fx.stage, ctx)
      .then(
        () => undefined,
        (err: unknown) => err as Error,
      );
    expect(error).toMatchObject({ name: 'TerminalError', code: 'LOAD_ERROR' });
    expect(error?.message).toContain('orders');
    expect(error?.message).toContain('line 2, column id');
    expect(error?.message).not.toContain('secret-row');
    expect(await snapshot()).toHaveLength(2);
  });

  it('a row count that disagrees with the manifest is an integrity error', async () => {
    const before = await snapshot();
    const files = fx.parts.csv.map((f) => ({ ...f, rows: f.rows + 1 }));
    await expect(
      dest.load(request(fx, 'orders', 'replace', 'csv', files), fx.stage, ctx),
    ).rejects.toMatchObject({
      name: 'TerminalError',
      code: 'INTEGRITY_ERROR',
    });
    expect(await snapshot()).toEqual(before);
    expect(await scratchTables(fx)).toEqual([]);
  });
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

describe('aborting a PostgreSQL load', () => {
  it('cancels the running COPY, rolls back and leaves no busy backend', async () => {
    const before = await snapshot();
    // The part is a FIFO fed forever: only the abort can end this load.
    const relPath = 'fifo/part-00001.csv';
    const fifo = fx.stage.localPath(relPath) ?? '';
    await mkdir(path.dirname(fifo), { recursive: true });
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    writer.on('error', () => undefined);
    const controller = new AbortController();
    let written = 0;
    const pump = async () => {
      writer.write('id,t\n');
      while (!writer.destroyed) {
        const chunk = Array.from({ length: 1000 }, (_, i) => `${written + i},row\n`).join('');
        written += 1000;
        // Abort once PostgreSQL is demonstrably consuming the part.
        if (written === 200_000) controller.abort();
        if (!writer.write(chunk)) await drainedOrClosed(writer);
      }
    };
    const pumping = pump();
    const columns = fx.columns.filter((c) => c.name === 'id' || c.name === 't');
    const files = [{ relPath, localPath: undefined, rows: 1 }];
    await expect(
      dest.load({ ...request(fx, 'orders', 'replace', 'csv', files), columns }, fx.stage, {
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: 'CancelledError', code: 'CANCELLED' });
    writer.destroy();
    await pumping;
    expect(await eventually(async () => (await busyBackends(fx)).length === 0)).toBe(true);
    expect(await snapshot()).toEqual(before);
    expect(await scratchTables(fx)).toEqual([]);
  });

  it('cancels a statement that waits for a lock on the target', async () => {
    const holder = await fx.db.client();
    try {
      await holder.query('BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
      const controller = new AbortController();
      const loading = dest.load(request(fx, 'orders', 'truncate', 'csv'), fx.stage, {
        signal: controller.signal,
      });
      const waiting = async () => {
        const { rows } = await fx.db.query(
          "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
          [fx.db.name],
        );
        return rows.length > 0;
      };
      expect(await eventually(waiting)).toBe(true);
      controller.abort();
      await expect(loading).rejects.toMatchObject({ name: 'CancelledError', code: 'CANCELLED' });
      expect(await eventually(async () => (await busyBackends(fx)).length === 0)).toBe(true);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await snapshot()).toHaveLength(2);
  });

  it('does not start once aborted', async () => {
    const reason = new Error('worker shutting down');
    await expect(
      dest.load(request(fx, 'orders', 'replace', 'csv'), fx.stage, { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(await snapshot()).toHaveLength(2);
  });
});
