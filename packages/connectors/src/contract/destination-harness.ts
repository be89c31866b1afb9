// What a destination's tests hand the destination contract suite, and what the suite shares between
// its files (test support, see destination.contract.ts).
import type { DestinationConnector, LoadFile, LoadRequest, StageConnector } from '../core/types.js';

export type DestinationContractHarness = {
  /** A destination on an empty target (closed by the suite). */
  destination: DestinationConnector;
  /** Another destination on the same target; the suite closes it. */
  open(): DestinationConnector;
  /**
   * Runs a SELECT on the target outside the destination; every value as text, NULL as null. The
   * suite writes SQL PostgreSQL and DuckDB both read (`CAST(x AS VARCHAR)`, `octet_length`).
   */
  select(sql: string): Promise<(string | null)[][]>;
  /**
   * SQL for select() giving a binary column's bytes as lower-case hex (NULL stays NULL), as the
   * engine holds what a load wrote (Snowflake keeps CSV binary as `\x…` text, docs/type-mapping.md).
   */
  binaryHex(column: string): string;
  /** Every table on the target now (scratch tables included), however the engine names them. */
  tables(): Promise<string[]>;
  cleanup(): Promise<void>;
};

export type DestinationContractContext = {
  harness: DestinationContractHarness;
  /** A local stage holding the parts the suite writes. */
  stage: StageConnector;
  /** The contract's rows as two parts (ids 1–3, ids 4–5) under a new folder. */
  parts(format: 'parquet' | 'csv'): Promise<LoadFile[]>;
  /**
   * Two rows (ids 100, 101, named old-1 and old-2) loaded with `create` from a `format` part into
   * `table`: the previous table of a load; `narrow`: with the columns id and name only.
   */
  previous(table: string, format: 'parquet' | 'csv', narrow?: boolean): Promise<void>;
  request(
    table: string,
    mode: LoadRequest['mode'],
    format: 'parquet' | 'csv',
    files: LoadFile[],
  ): LoadRequest;
};
