import { describe, expect, it } from 'vitest';
import { TerminalError, TransientError } from '@dxa/errors';
import { wrapDuckdbError, wrapDuckdbValidationError } from './errors.js';

const OOM = new Error(
  'Out of Memory Error: could not allocate block of size 256.0 KiB (122.0 MiB/122.0 MiB used)',
);
const options = { memoryLimit: '128MB', refused: 'BAD_SQL' } as const;

describe('wrapDuckdbValidationError', () => {
  it('reports running out of memory as a terminal VALIDATION_ERROR that says what to raise', () => {
    const err = wrapDuckdbValidationError(OOM, 'validate: a validation query in DuckDB', options);
    expect(err).toBeInstanceOf(TerminalError);
    expect(err).toMatchObject({ code: 'VALIDATION_ERROR', step: 'validate' });
    expect(err.message).toBe(
      'validate: a validation query in DuckDB failed: DuckDB ran out of its memory_limit of 128MB; raise ' +
        'memory_limit on the DuckDB target connection: Out of Memory Error: could not allocate block of ' +
        'size 256.0 KiB (122.0 MiB/122.0 MiB used)',
    );
  });

  it('keeps BAD_SQL for a statement DuckDB refuses and VALIDATION_ERROR for one that fails running', () => {
    const refused = wrapDuckdbValidationError(
      new Error('Binder Error: column "nope" not found'),
      'q',
      options,
    );
    expect(refused).toMatchObject({ code: 'BAD_SQL', name: 'TerminalError' });
    const lookup = wrapDuckdbValidationError(new Error('Catalog Error: no table t'), 'describe', {
      ...options,
      refused: 'VALIDATION_ERROR',
    });
    expect(lookup).toMatchObject({ code: 'VALIDATION_ERROR', name: 'TerminalError' });
    const conversion = wrapDuckdbValidationError(new Error('Conversion Error: bad'), 'q', options);
    expect(conversion).toMatchObject({ code: 'VALIDATION_ERROR', name: 'TerminalError' });
    const io = wrapDuckdbValidationError(new Error('IO Error: disk full'), 'q', options);
    expect(io).toBeInstanceOf(TransientError);
    expect(io).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('recodes the session opener LOAD_ERROR (a lock held too long), keeping it transient', () => {
    const locked = new TransientError('LOAD_ERROR', 'DuckDB file w.duckdb is locked by another process');
    const err = wrapDuckdbValidationError(locked, 'q', options);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'VALIDATION_ERROR', message: locked.message });
  });
});

describe('wrapDuckdbError', () => {
  it('names the setting to raise when a load runs out of memory', () => {
    const err = wrapDuckdbError(OOM, 'loading part-00001.parquet into t in DuckDB', '64MB');
    expect(err).toMatchObject({ code: 'LOAD_ERROR' });
    expect(err.message).toContain('raise memory_limit on the DuckDB target connection');
    expect(err.message).toContain('memory_limit of 64MB');
  });
});
