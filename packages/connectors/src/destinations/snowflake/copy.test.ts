import { describe, expect, it } from 'vitest';
import { TerminalError } from '@dxa/errors';
import { parseTableName } from '../../snowflake/names.js';
import { accountCopy, copyIntoSql } from './copy.js';

const batch = [
  { name: 'part-00001.parquet', file: { relPath: 'j/part-00001.parquet', localPath: undefined, rows: 10 } },
  { name: 'part-00002.parquet', file: { relPath: 'j/part-00002.parquet', localPath: undefined, rows: 5 } },
];

describe('copyIntoSql', () => {
  it('lists the files and reads Parquet by column name with logical types', () => {
    expect(copyIntoSql(parseTableName('t'), '@~/dxa/j/', batch, 'parquet')).toBe(
      `COPY INTO "T" FROM @~/dxa/j/ FILES = ('part-00001.parquet', 'part-00002.parquet') ` +
        'FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE BINARY_AS_TEXT = FALSE) ' +
        'MATCH_BY_COLUMN_NAME = CASE_SENSITIVE ON_ERROR = ABORT_STATEMENT',
    );
  });

  it('reads interchange CSV with its NULL and quoting rules', () => {
    const sql = copyIntoSql(parseTableName('t'), '@~/x/', [{ name: 'part-00001.csv.gz' }], 'csv');
    expect(sql).toContain(
      `FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '"' EMPTY_FIELD_AS_NULL = TRUE NULL_IF = () ESCAPE_UNENCLOSED_FIELD = NONE)`,
    );
  });
});

describe('accountCopy', () => {
  it('sums loaded rows and counts skipped files with their manifest rows', () => {
    const outcome = accountCopy(
      [{ file: 'dxa/j/part-00002.parquet', status: 'LOADED', rows_loaded: 5, rows_parsed: 5 }],
      batch,
      '"T"',
    );
    expect(outcome).toEqual({ rows: 15, loaded: 1, skipped: ['part-00001.parquet'] });
  });

  it('treats "0 files processed" as every file already loaded', () => {
    const outcome = accountCopy([{ status: 'Copy executed with 0 files processed.' }], batch, '"T"');
    expect(outcome.skipped).toHaveLength(2);
    expect(outcome.rows).toBe(15);
  });

  it('fails when a loaded file has another row count than its manifest', () => {
    expect(() =>
      accountCopy([{ file: 's3://b/j/part-00001.parquet', status: 'LOADED', rows_loaded: 9 }], batch, '"T"'),
    ).toThrow(TerminalError);
  });
});
