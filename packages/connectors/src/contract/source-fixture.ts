// The table every source contract run reads (test support, never imported by product code). Each
// implementation creates it in its own DDL (see SOURCE_FIXTURE_COLUMNS) and inserts these rows.
import type { SourceRef } from '@dxa/contracts';
import type { SourceConnector } from '../core/types.js';
import type { ColumnShape } from './support.js';

export const SOURCE_FIXTURE_TABLE = 'contract_t';

/** Columns in table order, with the logical type describe() must report for the engine's DDL. */
export const SOURCE_FIXTURE_COLUMNS: readonly ColumnShape[] = [
  { name: 'id', type: 'int32', nullable: false },
  { name: 'txt', type: 'text', nullable: true },
  { name: 'amount', type: 'decimal', nullable: true, precision: 12, scale: 2 },
  { name: 'at', type: 'timestamp', nullable: true },
  { name: 'day', type: 'date', nullable: true },
  { name: 'raw', type: 'binary', nullable: true },
  { name: 'odd,col', type: 'text', nullable: true },
];

export type SourceFixtureRow = [
  id: number,
  txt: string | null,
  amount: string | null,
  at: string | null,
  day: string | null,
  raw: Buffer | null,
  odd: string | null,
];

/** Awkward values: NULL next to empty text, quotes, commas, newlines, unicode, the text `NULL`, `\.`. */
export const SOURCE_FIXTURE_ROWS: readonly SourceFixtureRow[] = [
  [1, 'plain', '1.50', '2024-01-02 03:04:05.123456', '2024-02-29', Buffer.from([0x00, 0xff]), 'x'],
  [2, null, null, null, null, null, null],
  [3, '', '0.00', '1999-12-31 23:59:59.000001', '2000-01-01', Buffer.alloc(0), ''],
  [4, 'a "quoted", comma\nnewline\r\n', '-0.01', '2020-06-01 12:00:00.654321', '0001-01-01', null, 'NULL'],
  [5, 'ünïcödé ✓ 😀', '1234567890.12', null, '9999-12-31', Buffer.from('é'), '\\.'],
  [6, 'NULL', '-9999999999.99', '1970-01-01 00:00:00.999999', null, Buffer.from('a,b'), ' padded '],
];

/**
 * The interchange CSV records of the rows above (docs/interchange.md), header first. Timestamps use
 * all six fractional digits: engines differ in trimming trailing zeros (MySQL keeps the column's digits).
 */
export const SOURCE_FIXTURE_CSV: readonly string[] = [
  'id,txt,amount,at,day,raw,"odd,col"',
  '1,plain,1.50,2024-01-02 03:04:05.123456,2024-02-29,\\x00ff,x',
  '2,,,,,,',
  '3,"",0.00,1999-12-31 23:59:59.000001,2000-01-01,\\x,""',
  '4,"a ""quoted"", comma\nnewline\r\n",-0.01,2020-06-01 12:00:00.654321,0001-01-01,,NULL',
  '5,ünïcödé ✓ 😀,1234567890.12,,9999-12-31,\\xc3a9,"\\."',
  '6,NULL,-9999999999.99,1970-01-01 00:00:00.999999,,\\x612c62, padded ',
];

export type SourceContractHarness = {
  /** Connected to a fresh database holding SOURCE_FIXTURE_TABLE with SOURCE_FIXTURE_ROWS (closed by the suite). */
  source: SourceConnector;
  /** Another source on the same database; the suite closes it. */
  open(): SourceConnector;
  /**
   * A source configured wrongly in one way (a database that does not exist, or a port nobody listens
   * on) whose credentials are otherwise right, with a `password` set; its errors must contain `names`
   * (the database, or host:port) and never the password.
   */
  misconfigured(
    problem: 'database' | 'port',
  ): Promise<{ source: SourceConnector; names: string; password: string }>;
  /** A query source that streams rows for minutes unless aborted. */
  endlessQuery: string;
  /** A query source that writes when run outside a read-only session, and the rows it wrote. */
  writingQuery: { query: string; written(): Promise<number> };
  /** Statements the harness's sources are running on the server now. */
  running(): Promise<number>;
  cleanup(): Promise<void>;
};

export type SourceContractContext = { harness: SourceContractHarness };

export const sourceRef = (extra: Partial<SourceRef>): SourceRef => ({ connection: 'contract', ...extra });
