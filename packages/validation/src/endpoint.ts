import type { Dialect } from './canonical/dialect.js';
import type { Relation, ValidationColumn } from './types.js';

/**
 * One side of a validation: a connection able to describe a relation and run read-only SQL that
 * validation generates. Implemented by the source and target connectors; results are small
 * (aggregates, or the rows of one differing bucket), never a whole table.
 */
export type ValidationEndpoint = {
  /** How SQL is written for this engine (canonical/*.ts, or the connector's own Dialect). */
  readonly dialect: Dialect;
  /** Human-readable name for reports, never carrying credentials (e.g. `postgresql app@10.0.0.5`). */
  readonly label: string;
  /**
   * The relation named as this engine's catalog spells it: the table fully qualified with exact
   * (double-quoted) parts, the columns with their catalog names; a query comes back as it is. The
   * dialect renders SQL from it with no further reading of names, so it reads what an extract of
   * the same selection read.
   */
  resolve(relation: Relation, signal: AbortSignal): Promise<Relation>;
  describe(relation: Relation, signal: AbortSignal): Promise<ValidationColumn[]>;
  /**
   * Runs one read-only statement. Values come back as the driver gives them; validation converts
   * them with `String()` after casting to text or integers in SQL, so drivers need no type care.
   */
  query(sql: string, signal: AbortSignal): Promise<Record<string, unknown>[]>;
  /**
   * The table's primary key columns in key order, when the selection keeps all of them; undefined
   * for a query, a table without one, or a selection that leaves a key column out.
   */
  primaryKey?(relation: Relation, signal: AbortSignal): Promise<string[] | undefined>;
  close(): Promise<void>;
};

export type ValidationSide = { endpoint: ValidationEndpoint; relation: Relation };
