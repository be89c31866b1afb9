import { describe, expect, it } from 'vitest';
import { readThreads, sessionConfig, sizeBytes } from './session-config.js';

describe('DuckDB session configuration', () => {
  it('reads DuckDB sizes', () => {
    expect(sizeBytes('128MB')).toBe(128e6);
    expect(sizeBytes('1.5 GiB')).toBe(1.5 * 1024 ** 3);
    expect(sizeBytes('lots')).toBeUndefined();
  });

  it('gives a reading session one thread per 64 MiB of its memory limit, at least one', () => {
    expect(readThreads('128MB', 16)).toBe(1);
    expect(readThreads('256MiB', 16)).toBe(4);
    expect(readThreads('8MB', 16)).toBe(1);
    expect(readThreads('64GB', 4)).toBe(4);
    expect(readThreads(undefined, 3)).toBe(3);
  });

  it('always sets a spill folder; reading sessions drop insertion order and bound threads', () => {
    expect(sessionConfig({ readOnly: false, memoryLimit: '128MB', spillDir: '/d/w.duckdb.tmp-1-1' })).toEqual(
      {
        temp_directory: '/d/w.duckdb.tmp-1-1',
        memory_limit: '128MB',
      },
    );
    expect(sessionConfig({ readOnly: true, memoryLimit: '128MB', spillDir: '/s' })).toEqual({
      temp_directory: '/s',
      memory_limit: '128MB',
      access_mode: 'READ_ONLY',
      threads: '1',
      preserve_insertion_order: 'false',
    });
  });
});
