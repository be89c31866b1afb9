// The SourceConnector contract's slices, cancellation and close (test support, see source.contract.ts).
import { describe, expect, it } from 'vitest';
import { CancelledError } from '@dxa/errors';
import { eventually, parseCsv, readAll } from '@dxa/testing';
import {
  SOURCE_FIXTURE_ROWS,
  SOURCE_FIXTURE_TABLE,
  sourceRef,
  type SourceContractContext,
} from './source-fixture.js';
import { ctx, rejectionOf, streamOutcome } from './support.js';

const table = () => sourceRef({ table: SOURCE_FIXTURE_TABLE });
const ALL_IDS = SOURCE_FIXTURE_ROWS.map((row) => String(row[0])).sort();

export function sourceLifecycleTests(fx: SourceContractContext): void {
  const source = () => fx.harness.source;
  const nothingRunning = () => eventually(async () => (await fx.harness.running()) === 0);

  describe('slices', () => {
    it('a partition plan covers every row exactly once; a source that cannot split refuses a slice', async () => {
      const s = source();
      const { columns } = await s.describe(table(), ctx());
      if (s.planPartitions === undefined) {
        const slice = { bounds: { kind: 'pages' as const, from: 0, to: 10 } };
        expect(await rejectionOf(s.extractCsv(table(), columns, ctx(), slice))).toMatchObject({
          name: 'TerminalError',
          code: 'INVALID_JOB',
        });
        return;
      }
      const plan = await s.planPartitions(table(), { requested: 3, targetBytes: 1 }, ctx());
      expect(plan.bounds.length).toBeGreaterThan(1);
      const held = s.exportSnapshot ? await s.exportSnapshot(ctx()) : undefined;
      try {
        const ids: string[] = [];
        for (const bounds of plan.bounds) {
          const slice = held === undefined ? { bounds } : { bounds, snapshot: held.id };
          const rows = parseCsv(await readAll(await s.extractCsv(table(), columns, ctx(), slice)));
          ids.push(...rows.slice(1).map((row) => String(row[0])));
        }
        expect(ids.sort()).toEqual(ALL_IDS);
      } finally {
        await held?.release();
      }
    });
  });

  describe('cancellation', () => {
    it('a signal aborted before the call fails extractCsv and count with a CancelledError', async () => {
      const signal = AbortSignal.abort();
      expect(await rejectionOf(source().extractCsv(table(), [], { signal }))).toBeInstanceOf(CancelledError);
      expect(await rejectionOf(source().count(table(), { signal }))).toBeInstanceOf(CancelledError);
    });

    it('aborting mid-stream ends the stream with a CancelledError and leaves nothing running', async () => {
      const controller = new AbortController();
      const ref = sourceRef({ query: fx.harness.endlessQuery });
      const stream = await source().extractCsv(ref, [], { signal: controller.signal });
      const outcome = streamOutcome(stream);
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > 256 * 1024) controller.abort();
      });
      expect(await outcome).toBeInstanceOf(CancelledError);
      expect(bytes).toBeGreaterThan(256 * 1024);
      expect(await nothingRunning()).toBe(true);
      // The connector still works afterwards.
      expect(await source().count(table(), ctx())).toBe(SOURCE_FIXTURE_ROWS.length);
    });

    it('a consumer that destroys the stream stops the query on the server', async () => {
      const stream = await source().extractCsv(sourceRef({ query: fx.harness.endlessQuery }), [], ctx());
      await new Promise((resolve) => stream.once('data', resolve));
      stream.destroy();
      expect(await nothingRunning()).toBe(true);
    });

    it('aborting a running count rejects with a CancelledError and stops it on the server', async () => {
      const controller = new AbortController();
      const counting = source().count(sourceRef({ query: fx.harness.endlessQuery }), {
        signal: controller.signal,
      });
      expect(await eventually(async () => (await fx.harness.running()) > 0)).toBe(true);
      controller.abort();
      expect(await rejectionOf(counting)).toBeInstanceOf(CancelledError);
      expect(await nothingRunning()).toBe(true);
    });
  });

  describe('close', () => {
    it('ends the streams nobody reads with a CancelledError, leaves nothing running, and may be called again', async () => {
      const other = fx.harness.open();
      const stream = await other.extractCsv(sourceRef({ query: fx.harness.endlessQuery }), [], ctx());
      const outcome = streamOutcome(stream);
      await other.close();
      expect(await outcome).toBeInstanceOf(CancelledError);
      expect(await nothingRunning()).toBe(true);
      await expect(other.close()).resolves.toBeUndefined();
    });
  });
}
