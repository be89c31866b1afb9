import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeParquetParts } from '@dxa/files';
import type { Column } from '../../core/types.js';
import { query, makeFixture, type Fixture } from './test-support.js';

// Workers must stay under 512 MiB resident whatever the row width.
const WORKER_RSS_LIMIT_MIB = 512;
const ROWS = 200_000;
const TEXT_BYTES = 3000;
const COLUMNS: Column[] = [
  { name: 'id', sourceType: 'bigint', type: 'int64', nullable: false },
  { name: 'note', sourceType: 'text', type: 'text', nullable: true },
];

/** Interchange CSV of ROWS rows with ~3 kB of random (barely compressible) text each: ~600 MB. */
function* wideCsv(): Generator<Buffer> {
  yield Buffer.from('id,note\n');
  const batch = 1000;
  for (let start = 0; start < ROWS; start += batch) {
    const lines: string[] = [];
    for (let id = start; id < Math.min(ROWS, start + batch); id += 1) {
      // base64url: no characters that need quoting in CSV.
      lines.push(`${id},${randomBytes((TEXT_BYTES * 3) / 4).toString('base64url')}\n`);
    }
    yield Buffer.from(lines.join(''));
  }
}

function runChild(input: object): Promise<{ rows: number[]; peakRssMiB: number }> {
  const script = fileURLToPath(new URL('./wide-rows-memory.child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(input)], {
    env: {
      ...process.env,
      SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
      SF_TELEMETRY_DISABLE_CONNECTION_SHAPE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`load child exited with ${code}: ${stderr.slice(-2000)}`));
      else resolve(JSON.parse(stdout) as { rows: number[]; peakRssMiB: number });
    });
  });
}

let fx: Fixture;
beforeEach(async () => {
  fx = await makeFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

describe('DuckDB load memory', () => {
  it(`loads ~600 MB of 3 kB rows from Parquet parts within ${WORKER_RSS_LIMIT_MIB} MiB RSS`, async () => {
    const stageDir = path.join(fx.dir, 'stage');
    const written = await writeParquetParts({
      input: Readable.from(wideCsv()),
      columns: COLUMNS,
      dir: path.join(stageDir, 'wide'),
      fileSizeBytes: 128 * 1024 * 1024,
      signal: new AbortController().signal,
    });
    const files = written.map((f) => ({ relPath: `wide/${f.name}`, localPath: undefined, rows: f.rows }));

    const result = await runChild({ stageDir, dbFile: fx.dbFile, files, columns: COLUMNS });

    expect(result.rows).toEqual([ROWS, ROWS]);
    expect(result.peakRssMiB).toBeLessThanOrEqual(WORKER_RSS_LIMIT_MIB);
    expect(await query(fx.dbFile, 'SELECT count(*), min(length(note)), max(length(note)) FROM wide')).toEqual(
      [[BigInt(ROWS), BigInt(TEXT_BYTES), BigInt(TEXT_BYTES)]],
    );
  }, 120_000);
});
