import { execFileSync } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationConnector } from '../../core/types.js';
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

// All-or-nothing in every mode, TARGET_EXISTS and wrong manifest counts: contract.test.ts.
describe('PostgreSQL load failures', () => {
  it('a value that does not fit its column fails without echoing the row', async () => {
    const relPath = 'bad/value.csv.gz';
    const file = fx.stage.localPath(relPath) ?? '';
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, gzipSync('id,t\nnot-a-number-secret-row,x\n'));
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
