import type { Readable } from 'node:stream';
import type { Column, FileFormat, LoadMode, PartitionBounds, PartitionPlan, SourceRef } from '@dxa/contracts';
import type { ValidationEndpoint } from '@dxa/validation';

export type { Column, LogicalType } from '@dxa/contracts';

export type SourceDescription = { columns: Column[]; estimatedRows?: number };

export type RunContext = { signal: AbortSignal };

/** What a partitioned extract asks the source to plan. */
export type PartitionRequest = {
  /** A partition count, or "auto": sized from the table so each slice holds about `targetBytes`. */
  requested: 'auto' | number;
  targetBytes: number;
};

/**
 * A snapshot other sessions can read through (PostgreSQL `pg_export_snapshot`). It lives as long
 * as the session that exported it: `release` ends that session.
 */
export type HeldSnapshot = {
  readonly id: string;
  /** False once the exporting session has died (its partitions can no longer import it). */
  alive(): boolean;
  release(): Promise<void>;
};

/** One slice of the selection to read, optionally inside an exported snapshot. */
export type ExtractSlice = { bounds: PartitionBounds; snapshot?: string };

/**
 * A source streams rows as CSV in the interchange dialect (docs/interchange.md): a header line,
 * comma-separated, `"` quoting, NULL as an unquoted empty field, empty string as `""`, booleans
 * `t`/`f`, binary as `\x` + hex, timestamps ISO-8601 (timestamptz in UTC).
 */
export type SourceConnector = {
  readonly kind: string;
  /** Opens a connection and runs a trivial query. */
  check(ctx: RunContext): Promise<void>;
  describe(request: SourceRef, ctx: RunContext): Promise<SourceDescription>;
  /**
   * CSV bytes of the selected rows (only those of `slice` when given); aborting the signal cancels
   * the running query.
   */
  extractCsv(request: SourceRef, columns: Column[], ctx: RunContext, slice?: ExtractSlice): Promise<Readable>;
  /** Splits a table into slices read independently; sources that cannot split leave this out. */
  planPartitions?(
    request: SourceRef,
    partitioning: PartitionRequest,
    ctx: RunContext,
  ): Promise<PartitionPlan>;
  /** Exports a snapshot every slice reads through; sources that cannot share one leave this out. */
  exportSnapshot?(ctx: RunContext): Promise<HeldSnapshot>;
  count(request: SourceRef, ctx: RunContext): Promise<number>;
  /** Validation's view of this connection (see @dxa/validation); closed by the caller, before the connector. */
  validationEndpoint?(): ValidationEndpoint;
  close(): Promise<void>;
};

export type StagedObject = { path: string; bytes: number };

/**
 * Where a cloud stage's files live, for a warehouse that reads them directly (a Snowflake external
 * stage). Carries credentials: never log it, never put it in an error or a result.
 */
export type ExternalLocation =
  | {
      kind: 's3';
      /** `s3://bucket/prefix/` for the stage root (the configured prefix included). */
      url: string;
      /** Endpoint override (S3-compatible stores); undefined for AWS. */
      endpoint: string | undefined;
      region: string;
      storageIntegration: string | undefined;
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    }
  | {
      kind: 'azure_blob';
      /** `azure://<account>.blob.core.windows.net/<container>/<prefix>/` for the stage root. */
      url: string;
      /** Blob service endpoint actually used, e.g. `http://127.0.0.1:10000/devstoreaccount1`. */
      endpoint: string;
      storageIntegration: string | undefined;
      /** SAS token without the leading `?`. */
      sasToken: string | undefined;
    };

/** A stage holds files under relative paths; `localPath` lets a co-located target read them in place. */
export type StageConnector = {
  readonly kind: string;
  check(ctx: RunContext): Promise<void>;
  /** Moves or uploads a finished local file to `relPath`, verifying its size afterwards. */
  put(localFile: string, relPath: string, ctx: RunContext): Promise<StagedObject>;
  /** Writes a small object (manifests) atomically. */
  putText(relPath: string, text: string, ctx: RunContext): Promise<StagedObject>;
  getText(relPath: string, ctx: RunContext): Promise<string | undefined>;
  read(relPath: string, ctx: RunContext): Promise<Readable>;
  list(prefix: string, ctx: RunContext): Promise<StagedObject[]>;
  /** Removes everything under the prefix. */
  remove(prefix: string, ctx: RunContext): Promise<void>;
  /** Absolute local path of a staged file when the stage is a local folder, else undefined. */
  localPath(relPath: string): string | undefined;
  /** Human-readable location of a staged file for job results, never carrying credentials. */
  describe(relPath: string): string;
  /** Cloud stages only: the stage root as a warehouse would address it (see ExternalLocation). */
  externalLocation?(): ExternalLocation;
  close(): Promise<void>;
};

export type LoadFile = {
  relPath: string;
  localPath: string | undefined;
  rows: number;
  /** Size on the stage (from the manifest), for a target that sizes its work before fetching. */
  bytes?: number;
};

export type LoadRequest = {
  table: string;
  mode: LoadMode;
  columns: Column[];
  format: FileFormat;
  files: LoadFile[];
  /** Used to name the scratch table so a retry of the same job cleans up after itself. */
  jobId: string;
  /**
   * Local scratch space of the job (the worker's `<work_dir>/<job id>`), for a target that copies
   * staged files before reading them (DuckDB from a remote stage); it works in a folder of its own
   * inside and removes it.
   */
  workDir?: string;
};

export type DestinationConnector = {
  readonly kind: string;
  check(ctx: RunContext): Promise<void>;
  tableExists(table: string, ctx: RunContext): Promise<boolean>;
  /**
   * Loads the files all-or-nothing: a failure or abort leaves the previous table as it was.
   * Returns the number of rows loaded.
   */
  load(request: LoadRequest, stage: StageConnector, ctx: RunContext): Promise<{ rows: number }>;
  count(table: string, ctx: RunContext): Promise<number>;
  /** Validation's view of this connection (see @dxa/validation); closed by the caller, before the connector. */
  validationEndpoint?(): ValidationEndpoint;
  close(): Promise<void>;
};
