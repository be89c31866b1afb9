import { mkdir, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Column } from '@dxa/connectors';
import type { FileFormat } from '@dxa/contracts';
import {
  writeCsvGzipParts,
  writeParquetParts,
  type EncodeColumn,
  type ProgressDelta,
  type WrittenFile,
} from '@dxa/files';

const MB = 1024 * 1024;

function encodeColumn(c: Column): EncodeColumn {
  return {
    name: c.name,
    type: c.type,
    ...(c.precision === undefined ? {} : { precision: c.precision }),
    ...(c.scale === undefined ? {} : { scale: c.scale }),
  };
}

export type PartWriterRun = {
  format: FileFormat;
  fileSizeMb: number;
  workDir: string;
  signal: AbortSignal;
  onProgress: (delta: ProgressDelta) => void;
};

/** Streams source CSV through the part writer of the format into the local work folder. */
export async function writePartsFrom(
  input: Readable,
  columns: Column[],
  run: PartWriterRun,
): Promise<WrittenFile[]> {
  const writer = run.format === 'csv' ? writeCsvGzipParts : writeParquetParts;
  try {
    return await writer({
      input,
      columns: columns.map(encodeColumn),
      dir: run.workDir,
      fileSizeBytes: Math.max(1, Math.round(run.fileSizeMb * MB)),
      signal: run.signal,
      onProgress: run.onProgress,
    });
  } finally {
    input.destroy();
  }
}

/** Runs `use` in a fresh, empty local scratch folder that is removed afterwards. */
export async function inScratchFolder<T>(dir: string, use: () => Promise<T>): Promise<T> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    return await use();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
