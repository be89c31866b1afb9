import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationConnector, LoadFile, RunContext, StageConnector } from '../../core/types.js';
import { createDuckdbDestination } from './destination.js';
import {
  EXPECTED_ROWS,
  ctx,
  logger,
  makeFixture,
  query,
  request,
  roundTripSql,
  scratchTables,
  stageParts,
  withDb,
  ORDERS_SNAPSHOT,
  PREVIOUS_ORDERS,
  type Fixture,
} from './test-support.js';

let fx: Fixture;
let dest: DestinationConnector;
let workDir: string;

beforeEach(async () => {
  fx = await makeFixture();
  workDir = path.join(fx.dir, 'work', 'job-1');
  dest = createDuckdbDestination({ type: 'duckdb', path: fx.dbFile, memory_limit: '256MB' }, logger);
  await withDb(fx.dbFile, (run) => run(PREVIOUS_ORDERS));
});

afterEach(async () => {
  await fx.cleanup();
});

/** Every file under a folder, as paths relative to it (empty when the folder is gone). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

type RemoteOptions = {
  /** The part whose transfer breaks after its first bytes, or is cancelled there (`abort`). */
  breakOn?: string;
  abort?: AbortController;
};

/**
 * The local stage seen as a remote one: no local paths, files only through `read`. It records what
 * the work folder held each time a transfer started.
 */
function remoteStage(local: StageConnector, options: RemoteOptions = {}) {
  const seenAtFetch: string[][] = [];
  const stage: StageConnector = {
    ...local,
    kind: 's3',
    localPath: () => undefined,
    describe: (relPath) => `s3://bucket/${relPath}`,
    async read(relPath: string, runCtx: RunContext): Promise<Readable> {
      seenAtFetch.push(await filesUnder(workDir));
      const real = await local.read(relPath, runCtx);
      if (relPath !== options.breakOn) return real;
      const broken = new PassThrough();
      real.once('data', (chunk: Buffer) => {
        real.destroy();
        broken.write(chunk.subarray(0, 8));
        if (options.abort) options.abort.abort();
        else broken.destroy(new Error('socket hang up'));
      });
      return broken;
    },
  };
  return { stage, seenAtFetch };
}

describe('DuckDB loads from a remote stage, one part at a time', () => {
  it.each(['parquet', 'csv'] as const)(
    'fetches each %s part into the work folder, loads it and deletes it before the next',
    async (format) => {
      const files = await stageParts(fx, format);
      const { stage, seenAtFetch } = remoteStage(fx.stage);
      const done = await dest.load({ ...request('orders', 'replace', format, files), workDir }, stage, ctx);
      expect(done).toEqual({ rows: 3 });
      expect(await query(fx.dbFile, roundTripSql('orders'))).toEqual(EXPECTED_ROWS);
      // Both parts were fetched, and each time the earlier part was already gone.
      expect(seenAtFetch).toEqual([[], []]);
      expect(await filesUnder(workDir)).toEqual([]);
    },
  );

  it('a failure while fetching part 2 leaves the previous table and no fetched file', async () => {
    const before = await query(fx.dbFile, ORDERS_SNAPSHOT);
    const files: LoadFile[] = await stageParts(fx, 'parquet');
    const { stage, seenAtFetch } = remoteStage(fx.stage, { breakOn: files[1]?.relPath ?? '' });
    const failed = dest.load({ ...request('orders', 'replace', 'parquet', files), workDir }, stage, ctx);
    await expect(failed).rejects.toMatchObject({
      name: 'TransientError',
      code: 'LOAD_ERROR',
      message: expect.stringContaining(
        'fetching s3://bucket/run1/part-00002.parquet for DuckDB failed: socket hang up',
      ) as unknown,
    });
    expect(seenAtFetch).toHaveLength(2);
    expect(await query(fx.dbFile, ORDERS_SNAPSHOT)).toEqual(before);
    expect(await scratchTables(fx.dbFile)).toEqual([]);
    expect(await filesUnder(workDir)).toEqual([]);
  });

  it('a cancel while fetching part 2 rolls back and leaves no fetched file', async () => {
    const before = await query(fx.dbFile, ORDERS_SNAPSHOT);
    const files = await stageParts(fx, 'csv');
    const abort = new AbortController();
    const { stage } = remoteStage(fx.stage, { breakOn: files[1]?.relPath ?? '', abort });
    await expect(
      dest.load({ ...request('orders', 'truncate', 'csv', files), workDir }, stage, { signal: abort.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await query(fx.dbFile, ORDERS_SNAPSHOT)).toEqual(before);
    expect(await filesUnder(workDir)).toEqual([]);
  });

  it('a part whose rows disagree with the manifest is an integrity error naming it', async () => {
    const before = await query(fx.dbFile, ORDERS_SNAPSHOT);
    const files = (await stageParts(fx, 'parquet')).map((f, i) => (i === 1 ? { ...f, rows: 5 } : f));
    const { stage } = remoteStage(fx.stage);
    await expect(
      dest.load({ ...request('orders', 'append', 'parquet', files), workDir }, stage, ctx),
    ).rejects.toMatchObject({
      code: 'INTEGRITY_ERROR',
      message: expect.stringContaining('s3://bucket/run1/part-00002.parquet holds 1 rows') as unknown,
    });
    expect(await query(fx.dbFile, ORDERS_SNAPSHOT)).toEqual(before);
    expect(await filesUnder(workDir)).toEqual([]);
  });
});
