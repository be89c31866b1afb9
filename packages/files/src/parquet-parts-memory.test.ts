import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quoteDuckdbString } from './duckdb-csv.js';
import { writeParquetParts } from './parquet-parts.js';
import { duckdbRows } from './test-support.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dxa-parquet-memory-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeParquetParts memory', () => {
  it('converts a part of JSON documents with a multi-line field (serial CSV scan) within DuckDB memory', async () => {
    // DuckDB keeps what its JSON cast parsed until a serially scanned file ends: 150 MB of JSON in
    // one temporary CSV ran out of the 128 MB limit.
    const rows = 250_000;
    const filler = 'x'.repeat(560);
    function* jsonCsv(): Generator<Buffer> {
      yield Buffer.from('id,doc,note\n');
      for (let start = 0; start < rows; start += 1000) {
        const lines: string[] = [];
        for (let i = start; i < start + 1000; i++) {
          const note = i === 7 ? '"two\nlines"' : `n${i}`;
          lines.push(`${i},"{""i"":${i},""f"":""${filler}""}",${note}\n`);
        }
        yield Buffer.from(lines.join(''));
      }
    }
    const files = await writeParquetParts({
      input: Readable.from(jsonCsv()),
      columns: [
        { name: 'id', type: 'int64' },
        { name: 'doc', type: 'json' },
        { name: 'note', type: 'text' },
      ],
      dir,
      fileSizeBytes: 1 << 30,
      signal: new AbortController().signal,
    });
    expect(files.map((f) => f.rows)).toEqual([rows]);
    expect(await readdir(dir)).toEqual(['part-00001.parquet']);
    const [summary] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, sum(CAST(doc->>'i' AS BIGINT))::VARCHAR AS ids,
              count(*) FILTER (WHERE note = 'two' || chr(10) || 'lines')::INTEGER AS multi
         FROM read_parquet(${quoteDuckdbString(join(dir, '*.parquet'))})`,
    );
    expect(summary).toEqual({ n: rows, ids: String((rows * (rows - 1)) / 2), multi: 1 });
  });
});
