import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TerminalError } from '@dxa/errors';
import { buildManifest, parseManifest, sha256File } from './manifest.js';

const SHA = 'a'.repeat(64);

function sample() {
  return buildManifest({
    jobId: 'job-1',
    format: 'parquet',
    createdAt: new Date('2024-01-02T03:04:05.000Z'),
    columns: [
      { name: 'id', type: 'int64', nullable: false, sourceType: 'bigint' },
      {
        name: 'amount',
        type: 'decimal',
        precision: 12,
        scale: 2,
        nullable: true,
        sourceType: 'numeric(12,2)',
      },
    ],
    files: [
      { name: 'part-00001.parquet', rows: 10, bytes: 100, sha256: SHA },
      { name: 'part-00002.parquet', rows: 5, bytes: 60, sha256: SHA },
    ],
  });
}

describe('manifest', () => {
  it('builds a manifest that survives JSON and parsing', () => {
    const manifest = sample();
    expect(manifest).toMatchObject({
      version: 1,
      job_id: 'job-1',
      rows: 15,
      created_at: '2024-01-02T03:04:05.000Z',
    });
    expect(manifest.columns[0]).toEqual({
      name: 'id',
      type: 'int64',
      nullable: false,
      source_type: 'bigint',
    });
    expect(manifest.columns[1]).toMatchObject({ precision: 12, scale: 2 });
    expect(parseManifest(JSON.stringify(manifest))).toEqual(manifest);
  });

  it('rejects malformed JSON, a wrong row total and unsafe file names as integrity errors', () => {
    expect(() => parseManifest('{not json')).toThrow(TerminalError);
    const wrongTotal = { ...sample(), rows: 16 };
    expect(() => parseManifest(JSON.stringify(wrongTotal))).toThrow(/rows: is 16 but the files hold 15 rows/);
    const climbing = sample();
    climbing.files[0]!.name = '../outside.parquet';
    expect(() => parseManifest(JSON.stringify(climbing))).toThrow(/files\.0\.name/);
    try {
      parseManifest(JSON.stringify({ ...sample(), version: 2 }));
      expect.unreachable();
    } catch (err) {
      expect((err as TerminalError).code).toBe('INTEGRITY_ERROR');
    }
  });

  it('hashes a file with sha256', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dxa-manifest-'));
    try {
      const path = join(dir, 'f.bin');
      const data = Buffer.alloc(3 << 20, 7);
      await writeFile(path, data);
      expect(await sha256File(path)).toBe(createHash('sha256').update(data).digest('hex'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
