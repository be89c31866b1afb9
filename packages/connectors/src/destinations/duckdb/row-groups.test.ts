import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_ROW_GROUP_ROWS,
  MIN_ROW_GROUP_ROWS,
  rowGroupRowsFor,
  rowGroupRowsForParts,
} from './row-groups.js';
import { makeFixture, type Fixture } from './test-support.js';

let fx: Fixture;
beforeEach(async () => {
  fx = await makeFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

describe('row group size', () => {
  it("keeps DuckDB's default for narrow rows and shrinks by whole vectors for wide ones", () => {
    expect(rowGroupRowsFor(40)).toBe(MAX_ROW_GROUP_ROWS);
    expect(rowGroupRowsFor(1000)).toBe(16_384);
    expect(rowGroupRowsFor(12_000)).toBe(MIN_ROW_GROUP_ROWS);
    expect(rowGroupRowsFor(0)).toBe(MAX_ROW_GROUP_ROWS);
  });

  it('estimates row width from the staged bytes, counting unreadable parts as empty', async () => {
    const part = path.join(fx.dir, 'part-00001.parquet');
    await writeFile(part, Buffer.alloc(3_000_000));
    // 3 MB for 1000 rows reads as ~12 kB per row once decompressed.
    expect(await rowGroupRowsForParts([part, path.join(fx.dir, 'missing.parquet')], 1000)).toBe(
      MIN_ROW_GROUP_ROWS,
    );
    expect(await rowGroupRowsForParts([part], 3_000_000)).toBe(MAX_ROW_GROUP_ROWS);
    expect(await rowGroupRowsForParts([], 0)).toBe(MAX_ROW_GROUP_ROWS);
  });
});
