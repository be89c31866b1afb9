import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@dxa/logger';
import type { SourceConnector } from '../../core/types.js';
import { createMysqlSource } from './source.js';
import { csvRecords } from '@dxa/testing';
import { activeThreads, createTestDatabase, eventually, type TestDatabase } from './test-support.js';

const logger = createLogger('mysql-extract-test');
const ctx = () => ({ signal: new AbortController().signal });
// Cancellation and close: contract.test.ts.
const ROWS = 200_000;
const big = { connection: 'my', table: 'big' };

let db: TestDatabase;
let source: SourceConnector;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql.query(
    `CREATE TABLE ${db.name}.big (id int PRIMARY KEY, label varchar(80), amount decimal(14,4), at datetime(6));
     INSERT INTO ${db.name}.big
     SELECT seq, concat(md5(seq), IF(seq % 1000 = 0, ',\n"x"', ''), md5(seq + 1)), seq / 7, TIMESTAMP '2001-01-01 00:00:00' + INTERVAL seq SECOND
       FROM ${db.name}.seq_1_to_${ROWS}`,
  );
  source = createMysqlSource(db.conn, logger);
});
afterAll(async () => {
  await source?.close();
  await db?.drop();
});

/** Counts CSV records and sums the first field. */
function tally(text: string): { records: number; idSum: number } {
  const records = csvRecords(text);
  const idSum = records.slice(1).reduce((sum, r) => sum + Number(r.slice(0, r.indexOf(','))), 0);
  return { records: records.length, idSum };
}

describe('streaming', () => {
  it(`streams ${ROWS} rows in large chunks, every row once`, async () => {
    const r = big;
    const { columns } = await source.describe(r, ctx());
    const stream = await source.extractCsv(r, columns, ctx());
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.slice(0, text.indexOf('\n'))).toBe('id,label,amount,at');
    expect(tally(text)).toEqual({ records: ROWS + 1, idSum: (ROWS * (ROWS + 1)) / 2 });
    // Rows are batched: far fewer chunks than rows.
    expect(chunks.length).toBeLessThan(ROWS / 100);
    expect(await source.count(r, ctx())).toBe(ROWS);
    expect(await activeThreads(db)).toEqual([]);
  });

  it('holds back while nobody reads: the table is not buffered in memory', async () => {
    const { columns } = await source.describe(big, ctx());
    const controller = new AbortController();
    const stream = await source.extractCsv(big, columns, { signal: controller.signal });
    const first = (await (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]().next()) as {
      value: Buffer;
    };
    expect(first.value.length).toBeGreaterThan(0);
    // Long enough to send the whole table (the test above streams it all in about that time).
    await sleep(1500);
    // The server is still sending, held back by the paused socket, and the stream holds at most
    // its high-water mark plus one batch of the ~15 MB table.
    expect((await activeThreads(db)).map((t) => t.info)).toEqual([
      expect.stringContaining('FROM `') as unknown,
    ]);
    expect(stream.readableLength).toBeLessThan(3 << 20);
    controller.abort();
    expect(await eventually(async () => (await activeThreads(db)).length === 0)).toBe(true);
  });
});
