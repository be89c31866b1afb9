import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckdbDestination } from './destination.js';
import {
  ctx,
  logger,
  makeFixture,
  query,
  request,
  stageParts,
  withDb,
  type Fixture,
} from './test-support.js';

// Another process holding the database file open, as a second worker loading into it would.
const HOLDER = `
import { DuckDBInstance } from '@duckdb/node-api';
const [file, holdMs] = process.argv.slice(-2);
const instance = await DuckDBInstance.create(file);
const conn = await instance.connect();
await conn.run('CREATE TABLE IF NOT EXISTS holder_was_here (x INTEGER)');
console.log('held');
setTimeout(() => { conn.closeSync(); instance.closeSync(); console.log('released'); }, Number(holdMs));
`;

let fx: Fixture;
let holder: ChildProcess | undefined;

beforeEach(async () => {
  fx = await makeFixture();
});

afterEach(async () => {
  if (holder && holder.exitCode === null) await once(holder, 'exit');
  holder = undefined;
  await fx.cleanup();
});

/** Starts the holder and resolves once it holds the file; `events` records its later lines. */
async function holdFile(file: string, holdMs: number, events: string[]): Promise<void> {
  // Run from this package so that the bare import resolves to its @duckdb/node-api.
  const cwd = path.dirname(fileURLToPath(import.meta.url));
  const child = spawn(process.execPath, ['--input-type=module', '-e', HOLDER, '--', file, String(holdMs)], {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  holder = child;
  const lines = createInterface({ input: child.stdout });
  const held = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
    lines.on('line', (line) => {
      events.push(line);
      if (line === 'held') resolve();
    });
  });
  await held;
}

describe('DuckDB file lock held by another process', () => {
  it('waits for the other process and then loads', async () => {
    const files = await stageParts(fx, 'parquet');
    const events: string[] = [];
    await holdFile(fx.dbFile, 2000, events);
    const dest = createDuckdbDestination({ type: 'duckdb', path: fx.dbFile, memory_limit: '256MB' }, logger);
    events.push('load started');
    const result = await dest.load(request('orders', 'create', 'parquet', files), fx.stage, ctx);
    events.push('load finished');
    expect(result).toEqual({ rows: 3 });
    // The load could only finish after the holder let go of the file.
    expect(events).toEqual(['held', 'load started', 'released', 'load finished']);
    expect(
      await query(fx.dbFile, 'SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM holder_was_here)'),
    ).toEqual([[3n, 0n]]);
  });

  it('gives up with a transient error when the file stays locked', async () => {
    const files = await stageParts(fx, 'parquet');
    await withDb(fx.dbFile, (run) => run('CREATE TABLE orders (x INTEGER); INSERT INTO orders VALUES (7)'));
    await holdFile(fx.dbFile, 3000, []);
    const dest = createDuckdbDestination({ type: 'duckdb', path: fx.dbFile, memory_limit: '256MB' }, logger, {
      lockTimeoutMs: 300,
    });
    await expect(
      dest.load(request('orders', 'replace', 'parquet', files), fx.stage, ctx),
    ).rejects.toMatchObject({
      name: 'TransientError',
      code: 'LOAD_ERROR',
      message: expect.stringContaining('locked by another process') as unknown,
    });
    if (holder?.exitCode === null) await once(holder, 'exit');
    expect(await query(fx.dbFile, 'SELECT * FROM orders')).toEqual([[7]]);
  });

  it('an abort while waiting for the lock stops without waiting for the file', async () => {
    const files = await stageParts(fx, 'parquet');
    const events: string[] = [];
    await holdFile(fx.dbFile, 3000, events);
    const controller = new AbortController();
    const dest = createDuckdbDestination({ type: 'duckdb', path: fx.dbFile, memory_limit: '256MB' }, logger);
    const loading = dest.load(request('orders', 'create', 'parquet', files), fx.stage, {
      signal: controller.signal,
    });
    controller.abort();
    await expect(loading).rejects.toMatchObject({ name: 'CancelledError' });
    events.push('load cancelled');
    if (holder?.exitCode === null) await once(holder, 'exit');
    expect(events).toEqual(['held', 'load cancelled', 'released']);
  });
});

describe('DuckDB operations in one process', () => {
  it('queue per file instead of opening it twice', async () => {
    const files = await stageParts(fx, 'parquet');
    const dest = createDuckdbDestination({ type: 'duckdb', path: fx.dbFile, memory_limit: '256MB' }, logger);
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((t, i) =>
        dest.load(request(`t_${t}`, 'create', 'parquet', files, `job-${i}`), fx.stage, ctx),
      ),
    );
    expect(results).toEqual([{ rows: 3 }, { rows: 3 }, { rows: 3 }, { rows: 3 }]);
    expect(
      await query(
        fx.dbFile,
        "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 't\\_%' ESCAPE '\\'",
      ),
    ).toEqual([[4n]]);
  });
});
