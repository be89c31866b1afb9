import type { Readable } from 'node:stream';

/** A finished part file in the local work folder. */
export type WrittenFile = {
  /** Absolute path in the work folder. */
  localPath: string;
  /** File name, e.g. `part-00001.csv.gz`. */
  name: string;
  rows: number;
  bytes: number;
  sha256: string;
};

export type ProgressDelta = { rows: number; bytes: number; files: number };

/** Column types the Parquet encoder needs; mirrors the connectors' Column. */
export type EncodeColumn = {
  name: string;
  type: string;
  precision?: number;
  scale?: number;
};

export type PartWriterOptions = {
  /** Interchange-dialect CSV bytes whose first line is the header. */
  input: Readable;
  columns: EncodeColumn[];
  /** Work folder for this job; created if missing. */
  dir: string;
  /** Target size of each part after compression. */
  fileSizeBytes: number;
  signal: AbortSignal;
  /** Called as data moves, at least once per part. */
  onProgress?: (delta: ProgressDelta) => void;
};

/**
 * Splits the input into parts of about `fileSizeBytes` at row boundaries and writes each as a
 * complete file. On failure or abort, parts written so far are deleted and the promise rejects.
 */
export type PartWriter = (options: PartWriterOptions) => Promise<WrittenFile[]>;

export type Manifest = {
  version: 1;
  job_id: string;
  format: 'parquet' | 'csv';
  created_at: string;
  rows: number;
  columns: {
    name: string;
    type: string;
    nullable: boolean;
    precision?: number;
    scale?: number;
    source_type: string;
  }[];
  files: { name: string; rows: number; bytes: number; sha256: string }[];
};

export const MANIFEST_NAME = '_manifest.json';
