import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, TerminalError } from '@dxa/errors';
import { quoteDuckdbString } from './duckdb-csv.js';
import { rowGroupSizeFor, writeParquetParts } from './parquet-parts.js';
import { chunked, duckdbRows } from './test-support.js';
import type { EncodeColumn } from './types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dxa-parquet-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const never = new AbortController().signal;

// Interchange CSV as PostgreSQL writes it (see docs/interchange.md).
const TYPED_COLUMNS: EncodeColumn[] = [
  { name: 'id', type: 'int64' },
  { name: 'amount', type: 'decimal', precision: 12, scale: 2 },
  { name: 'at', type: 'timestamptz' },
  { name: 'payload', type: 'binary' },
  { name: 'flag', type: 'boolean' },
  { name: 'note', type: 'text' },
];
const TYPED_CSV = [
  'id,amount,at,payload,flag,note',
  '1,1234567890.12,2024-02-29 23:59:59.123456+00,\\x00ff10,t,plain',
  '2,-0.01,0044-03-15 09:00:00+00 BC,\\x,f,""',
  '3,,,,,',
  '4,0.00,infinity,\\x0a,t,"line\nbreak, ""quoted"""',
  '',
].join('\n');

function partsGlob(): string {
  return quoteDuckdbString(join(dir, '*.parquet'));
}

describe('writeParquetParts', () => {
  it('writes typed Parquet that DuckDB reads back with the same values', async () => {
    const files = await writeParquetParts({
      input: chunked(Buffer.from(TYPED_CSV), 5),
      columns: TYPED_COLUMNS,
      dir,
      fileSizeBytes: 1 << 20,
      signal: never,
    });
    expect(files).toHaveLength(1);
    const file = files[0]!;
    expect(file.name).toBe('part-00001.parquet');
    expect(file.rows).toBe(4);
    const bytes = await readFile(file.localPath);
    expect(file.bytes).toBe(bytes.length);
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await readdir(dir)).toEqual(['part-00001.parquet']);

    const types = await duckdbRows(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${partsGlob()}))`,
    );
    expect(types.map((t) => `${String(t.column_name)} ${String(t.column_type)}`)).toEqual([
      'id BIGINT',
      'amount DECIMAL(12,2)',
      'at TIMESTAMP WITH TIME ZONE',
      'payload BLOB',
      'flag BOOLEAN',
      'note VARCHAR',
    ]);
    const rows = await duckdbRows(
      `SELECT id::VARCHAR AS id, amount::VARCHAR AS amount, epoch_us("at")::VARCHAR AS at_us, isinf("at") AS at_inf, hex(payload) AS payload,
              flag, note, note IS NULL AS note_null
         FROM read_parquet(${partsGlob()}) ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: '1',
        amount: '1234567890.12',
        at_us: '1709251199123456',
        at_inf: false,
        payload: '00FF10',
        flag: true,
        note: 'plain',
        note_null: false,
      },
      {
        id: '2',
        amount: '-0.01',
        at_us: '-63517791600000000',
        at_inf: false,
        payload: '',
        flag: false,
        note: '',
        note_null: false,
      },
      {
        id: '3',
        amount: null,
        at_us: null,
        at_inf: null,
        payload: null,
        flag: null,
        note: null,
        note_null: true,
      },
      {
        id: '4',
        amount: '0.00',
        at_us: rows[3]?.at_us,
        at_inf: true,
        payload: '0A',
        flag: true,
        note: 'line\nbreak, "quoted"',
        note_null: false,
      },
    ]);
  });

  it.each([
    { multiLine: true, label: 'with multi-line fields (serial CSV scan)' },
    { multiLine: false, label: 'with single-line rows (parallel CSV scan)' },
  ])('rolls several parts whose rows add up, $label', async ({ multiLine }) => {
    const columns: EncodeColumn[] = [
      { name: 'id', type: 'int32' },
      { name: 'body', type: 'text' },
    ];
    const count = 30_000;
    const lines = ['id,body'];
    for (let i = 1; i <= count; i++)
      lines.push(
        multiLine && i % 4 === 0
          ? `${i},"row ${i}\nsecond ""line"", ${'z'.repeat(i % 97)}"`
          : `${i},row ${i} ${'y'.repeat(i % 89)}`,
      );
    const csv = Buffer.from(`${lines.join('\n')}\n`);
    const files = await writeParquetParts({
      input: chunked(csv, 65_536 + 7),
      columns,
      dir,
      fileSizeBytes: 64 * 1024,
      signal: never,
    });
    expect(files.length).toBeGreaterThan(2);
    expect(files.reduce((n, f) => n + f.rows, 0)).toBe(count);
    const [summary] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, sum(id)::BIGINT::VARCHAR AS ids, count(*) FILTER (WHERE body LIKE 'row %' || chr(10) || 'second "line", %')::INTEGER AS multi
         FROM read_parquet(${partsGlob()})`,
    );
    expect(summary).toEqual({
      n: count,
      ids: String((count * (count + 1)) / 2),
      multi: multiLine ? count / 4 : 0,
    });
    const perFile = await duckdbRows(
      `SELECT count(*)::INTEGER AS n FROM read_parquet(${partsGlob()}, filename = true) GROUP BY filename ORDER BY filename`,
    );
    expect(perFile.map((r) => r.n)).toEqual(files.map((f) => f.rows));
  });

  it('keeps DuckDB default row groups for narrow rows and shrinks them for wide ones', () => {
    expect(rowGroupSizeFor({ rows: 1_000_000, bytes: 50_000_000 })).toBe(122_880);
    expect(rowGroupSizeFor({ rows: 1_000, bytes: 3_000_000 })).toBe(2_796);
    expect(rowGroupSizeFor({ rows: 10, bytes: 10_000_000 })).toBe(128);
    expect(rowGroupSizeFor({ rows: 0, bytes: 0 })).toBe(122_880);
  });

  it('converts rows too wide for one default row group in DuckDB memory', async () => {
    // 60,000 rows of 2 kB: a 122,880-row group would hold all 120 MB at once, near the 128 MB limit.
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    const noise = Array.from(
      { length: 8192 },
      (_, i) => alphabet[(i * 7919 + (i >> 3)) % alphabet.length],
    ).join('');
    const rows = 60_000;
    function* wideCsv() {
      yield Buffer.from('id,note\n');
      for (let start = 0; start < rows; start += 1000) {
        const lines: string[] = [];
        for (let i = start; i < start + 1000; i++)
          lines.push(`${i},${noise.slice(i % 6000, (i % 6000) + 2000)}\n`);
        yield Buffer.from(lines.join(''));
      }
    }
    const files = await writeParquetParts({
      input: Readable.from(wideCsv()),
      columns: [
        { name: 'id', type: 'int64' },
        { name: 'note', type: 'text' },
      ],
      dir,
      fileSizeBytes: 1 << 30,
      signal: never,
    });
    expect(files.map((f) => f.rows)).toEqual([rows]);
    const groups = await duckdbRows(
      `SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata(${partsGlob()})`,
    );
    expect(Number(groups[0]?.n)).toBeGreaterThan(10);
  });

  it('writes one empty part with the schema for a source without rows', async () => {
    const files = await writeParquetParts({
      input: Readable.from([Buffer.from('id,amount,at,payload,flag,note\n')]),
      columns: TYPED_COLUMNS,
      dir,
      fileSizeBytes: 1024,
      signal: never,
    });
    expect(files.map((f) => f.rows)).toEqual([0]);
    const types = await duckdbRows(
      `SELECT count(*) AS n FROM (DESCRIBE SELECT * FROM read_parquet(${partsGlob()}))`,
    );
    expect(types).toEqual([{ n: String(TYPED_COLUMNS.length) }]);
  });

  it('rejects a header that does not match the columns, leaving no files', async () => {
    const csv = Buffer.from('id,note,amount\n1,a,2\n');
    await expect(
      writeParquetParts({
        input: chunked(csv, 3),
        columns: TYPED_COLUMNS.slice(0, 3),
        dir,
        fileSizeBytes: 1024,
        signal: never,
      }),
    ).rejects.toThrow(/header \(id, note, amount\) does not match the columns \(id, amount, at\)/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails loudly on a value the column type cannot hold, leaving no files', async () => {
    const csv = Buffer.from('id,amount,at,payload,flag,note\n1,not-a-number,,,,\n');
    const error = await writeParquetParts({
      input: chunked(csv, 8),
      columns: TYPED_COLUMNS,
      dir,
      fileSizeBytes: 1024,
      signal: never,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as Error).message).toMatch(/part-00001\.parquet: DuckDB could not convert/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('deletes every file and rejects with CancelledError when aborted', async () => {
    const input = new PassThrough();
    const controller = new AbortController();
    const writing = writeParquetParts({
      input,
      columns: [
        { name: 'id', type: 'int32' },
        { name: 'body', type: 'text' },
      ],
      dir,
      fileSizeBytes: 4096,
      signal: controller.signal,
      onProgress: (d) => {
        if (d.files > 0) controller.abort();
      },
    });
    input.write('id,body\n');
    for (let i = 1; !input.destroyed && i < 5_000_000; i++) {
      if (!input.write(`${i},some text for row ${i}\n`))
        await new Promise((resolve) => setImmediate(resolve));
    }
    await expect(writing).rejects.toBeInstanceOf(CancelledError);
    expect(await readdir(dir)).toEqual([]);
  });
});
