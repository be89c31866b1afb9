import type { LogicalType } from '@dxa/contracts';

/** The SQL dialects this package generates queries for (a connector may bring its own Dialect). */
export type DialectName = 'postgresql' | 'duckdb' | 'snowflake' | 'mysql' | 'sqlserver';

/** A column of the table being validated, on one side. */
export type ValidationColumn = {
  name: string;
  /** The engine's own type text, e.g. `numeric(12,2)`, `TIMESTAMP WITH TIME ZONE`, `NUMBER(38,0)`. */
  engineType: string;
  /** What the value means, whatever the engine stores it as (drives the canonical encoding). */
  type: LogicalType;
  nullable: boolean;
  precision?: number;
  scale?: number;
};

/**
 * A table narrowed to some of its columns (in this order; all of them when absent) and to the rows
 * `where` keeps. `table` is written the way a job writes it (`schema.table`, a double-quoted part
 * is exact); `where` is a predicate in the engine's own SQL.
 */
export type Selection = { table: string; columns?: readonly string[]; where?: string };

/** What is validated on one side: a selection of a table, or a read-only query. */
export type Relation = Selection | { query: string };

export type FloatTolerance = { relative?: number; absolute?: number };

export type ValidationOptions = {
  levels: readonly ('count' | 'schema' | 'metrics' | 'rows')[];
  /** Key columns for row-level validation; defaults to the source's primary key when it can be found. */
  key?: readonly string[];
  /** Metrics: numeric tolerance (documented in docs/validation.md); default exact. */
  tolerance?: FloatTolerance;
  /** Rows: at most this many differences are listed (the rest are counted, `truncated: true`). */
  maxDifferences?: number;
  signal: AbortSignal;
  /** Called with rows hashed so far on each side, for live progress. */
  onProgress?: (progress: { phase: 'schema' | 'metrics' | 'rows'; rows?: number }) => void;
  /** Row counts the caller already has for a side (the same relation): not counted again. */
  knownCounts?: { source?: number; target?: number };
};

/** Files written for one run (see `writeReports`): paths relative to the folder given. */
export type ReportFiles = {
  json: string; // the full report
  markdown: string; // a human summary
  differencesCsv: string; // one line per differing key: key columns, kind, columns
  sourceSql: string; // re-selects the differing rows on the source
  targetSql: string; // re-selects the differing rows on the target
};

/** One row-level difference, as listed in the contract's `rows.differences`. */
export type RowDifference = {
  key: Record<string, string | number | null>;
  kind: 'missing_in_target' | 'extra_in_target' | 'mismatch' | 'duplicate_key';
  columns?: string[];
  /** duplicate_key only: the side holding the key more than once. */
  side?: 'source' | 'target';
};

/*
 * The package's entry points (implemented in src/run.ts and src/reports.ts):
 *
 *   runValidation(source: ValidationSide, target: ValidationSide, options: ValidationOptions)
 *     : Promise<ValidationReport>
 *   writeReports(report: ValidationReport, dir: string): Promise<ReportFiles>
 *
 * `ValidationReport` carries `result` (the contract's `ValidationResult`, CONTRACT §3, ready for the
 * job record) plus what the files need (the SQL of each side, the full difference list up to the
 * cap, timings).
 */
