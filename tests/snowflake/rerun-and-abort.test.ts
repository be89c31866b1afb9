import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSnowflakeDestination,
  type DestinationConnector,
  type LoadRequest,
} from '@dxa/connectors/src/factories.js';
import { ctx, logger } from '@dxa/connectors/src/destinations/snowflake/test-support.js';
import { CancelledError, TransientError } from '@dxa/errors';
import type { RecordedQuery, SnowflakeFake } from '../fakes/snowflake/index.js';
import { makeFixture, SOURCE_ROWS, type PartsFixture } from './fixture.js';
import { startFake, tablesInFake, targetConfig } from './support.js';

let fake: SnowflakeFake;
let fx: PartsFixture;
let dest: DestinationConnector;

beforeAll(async () => {
  [fake, fx] = await Promise.all([startFake(), makeFixture()]);
  dest = createSnowflakeDestination(targetConfig(fake), logger);
});

afterAll(async () => {
  await dest?.close();
  await fake?.close();
  await fx?.cleanup();
});

const request = (table: string, mode: LoadRequest['mode'], jobId: string): LoadRequest => ({
  table,
  mode,
  columns: fx.columns,
  format: 'parquet',
  files: fx.parts.parquet,
  jobId,
});

const since = (n: number) => fake.queries.slice(n).map((q) => q.sqlText);
const internalError = { code: '000603', sqlState: 'XX000', message: 'SQL execution internal error' };

describe('re-running a load', () => {
  it('replace: a retry after a failure past the COPY reuses the scratch table and loads no file twice', async () => {
    const table = 'rerun_replace';
    fake.failNext(/^SELECT COUNT\(\*\) FROM "RERUN_REPLACE__dxa_job_r1"/, internalError);
    const failed = await dest
      .load(request(table, 'replace', 'job-r1'), fx.stage, ctx)
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TransientError);
    // Kept for the retry, whose COPY then finds every file in the scratch table's load history.
    expect(await tablesInFake(fake)).toContain('RERUN_REPLACE__dxa_job_r1');
    const before = fake.queries.length;
    const { rows } = await dest.load(request(table, 'replace', 'job-r1'), fx.stage, ctx);
    expect(rows).toBe(SOURCE_ROWS);
    expect(await dest.count(table, ctx)).toBe(SOURCE_ROWS);
    expect(since(before).filter((q) => q.startsWith('COPY INTO "RERUN_REPLACE__dxa_job_r1"'))).toHaveLength(
      1,
    );
    expect((await tablesInFake(fake)).filter((t) => t.includes('__dxa_'))).toEqual([]);
  });

  it('append: a failed COPY rolls back, and the retry loads each file once', async () => {
    const table = 'rerun_append';
    fake.failNext(/^COPY INTO "RERUN_APPEND"/, internalError);
    await expect(dest.load(request(table, 'append', 'job-a1'), fx.stage, ctx)).rejects.toBeInstanceOf(
      TransientError,
    );
    // The load created the missing table, so its failure removed it again.
    expect(await dest.tableExists(table, ctx)).toBe(false);
    expect((await dest.load(request(table, 'append', 'job-a1'), fx.stage, ctx)).rows).toBe(SOURCE_ROWS);
    expect(await dest.count(table, ctx)).toBe(SOURCE_ROWS);
  });

  it('append: running a committed load again (a worker lost after COMMIT) adds nothing', async () => {
    const table = 'rerun_append';
    const { rows } = await dest.load(request(table, 'append', 'job-a1'), fx.stage, ctx);
    expect(rows).toBe(SOURCE_ROWS);
    expect(await dest.count(table, ctx)).toBe(SOURCE_ROWS);
  });

  it('a connection dropped after the COPY ran is retried by the driver without loading twice', async () => {
    const table = 'rerun_dropped';
    fake.failNext(/^COPY INTO "RERUN_DROPPED"/, 'drop-after');
    expect((await dest.load(request(table, 'create', 'job-d1'), fx.stage, ctx)).rows).toBe(SOURCE_ROWS);
    expect(await dest.count(table, ctx)).toBe(SOURCE_ROWS);
  });

  it('a fake that is down makes the load fail transiently; it succeeds once it is back', async () => {
    await fake.stop();
    const fresh = createSnowflakeDestination(targetConfig(fake), logger);
    try {
      const err = await fresh
        .load(request('rerun_down', 'create', 'job-down'), fx.stage, ctx)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientError);
      expect((err as TransientError).code).toBe('CONNECTION_FAILED');
      await fake.restart();
      expect((await fresh.load(request('rerun_down', 'create', 'job-down'), fx.stage, ctx)).rows).toBe(
        SOURCE_ROWS,
      );
    } finally {
      await fake.restart().catch(() => undefined);
      await fresh.close();
    }
  });
});

/** Aborts `controller` as soon as the fake receives a statement matching `pattern`. */
function abortOn(pattern: RegExp, controller: AbortController): () => void {
  const queries = fake.queries;
  const push = queries.push.bind(queries);
  queries.push = (...items: RecordedQuery[]) => {
    if (items.some((q) => pattern.test(q.sqlText))) controller.abort();
    return push(...items);
  };
  return () => {
    queries.push = push;
  };
}

describe('cancelling a load', () => {
  it.each(['create', 'append', 'replace'] as const)(
    '%s: leaves no partial table and no scratch table',
    async (mode) => {
      const table = `cancel_${mode}`;
      if (mode === 'append') await dest.load(request(table, 'create', `job-seed-${mode}`), fx.stage, ctx);
      const controller = new AbortController();
      const restore = abortOn(new RegExp(`^COPY INTO "${table.toUpperCase()}`), controller);
      try {
        const err = await dest
          .load(request(table, mode, `job-cancel-${mode}`), fx.stage, { signal: controller.signal })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(CancelledError);
      } finally {
        restore();
      }
      const tables = await tablesInFake(fake);
      expect(tables.filter((t) => t.startsWith(table.toUpperCase()) && t.includes('__dxa_'))).toEqual([]);
      if (mode === 'append') expect(await dest.count(table, ctx)).toBe(SOURCE_ROWS);
      else expect(tables).not.toContain(table.toUpperCase());
    },
  );
});
