import { mkdir, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Column, SourceDescription, StageConnector } from '@dxa/connectors';
import type { ExtractPartitions, ExtractResult, FileFormat, PartitionFile, SourceRef } from '@dxa/contracts';
import {
  buildManifest,
  writeCsvGzipParts,
  writeParquetParts,
  type EncodeColumn,
  type ProgressDelta,
  type WrittenFile,
} from '@dxa/files';
import type { ServiceContext } from '../handlers/types.js';
import { runPartitionedExtract } from './partitioned-extract.js';
import { manifestPathFor, stagePrefixFor, workDirFor } from './stage-paths.js';

export type ExtractPlan = {
  source: SourceRef;
  stageName: string;
  /** The folder inside the stage the job asked for; the job id is appended. */
  stagePath: string | undefined;
  format: FileFormat;
  fileSizeMb: number;
  /** `options.partitions`; undefined or 1 reads the source in one piece. */
  partitions: 'auto' | number | undefined;
  partitionSizeMb: number | undefined;
};

const MB = 1024 * 1024;

function encodeColumn(c: Column): EncodeColumn {
  return {
    name: c.name,
    type: c.type,
    ...(c.precision === undefined ? {} : { precision: c.precision }),
    ...(c.scale === undefined ? {} : { scale: c.scale }),
  };
}

/**
 * Moves the finished parts into the stage, in order, as `<prefix><namePrefix><part name>`, and
 * returns the names a manifest lists (relative to the prefix).
 */
export async function stageParts(
  stage: StageConnector,
  signal: AbortSignal,
  prefix: string,
  files: WrittenFile[],
  namePrefix = '',
): Promise<PartitionFile[]> {
  const staged: PartitionFile[] = [];
  for (const file of files) {
    const name = `${namePrefix}${file.name}`;
    await stage.put(file.localPath, `${prefix}${name}`, { signal });
    staged.push({ name, rows: file.rows, bytes: file.bytes, sha256: file.sha256 });
  }
  return staged;
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

export type ExtractedParts = {
  description: SourceDescription;
  /** Staged part files in load order, named relative to the job's stage folder. */
  files: PartitionFile[];
  partitions?: ExtractPartitions;
};

/**
 * Writes the manifest over the staged parts, then records the result and the stage step. The
 * manifest comes last, so a manifest always describes a complete set.
 */
export async function finishExtract(
  ctx: ServiceContext,
  plan: ExtractPlan,
  parts: ExtractedParts,
): Promise<ExtractResult> {
  const stage = ctx.connectors.stage(plan.stageName);
  const prefix = stagePrefixFor(plan.stagePath, ctx.jobId);
  const { description, files } = parts;
  const rows = files.reduce((sum, f) => sum + f.rows, 0);
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const manifestPath = manifestPathFor(prefix);
  const manifest = buildManifest({
    jobId: ctx.jobId,
    format: plan.format,
    columns: description.columns,
    files,
  });
  await stage.putText(manifestPath, JSON.stringify(manifest, null, 2), { signal: ctx.signal });
  ctx.progress.set({ rows, files: files.length, bytes });
  await ctx.progress.endPhase();
  ctx.onRowsExtracted(rows);
  const result: ExtractResult = {
    rows,
    files: files.map((f) => ({
      path: stage.describe(`${prefix}${f.name}`),
      rows: f.rows,
      bytes: f.bytes,
      sha256: f.sha256,
    })),
    format: plan.format,
    stage: { connection: plan.stageName, path: prefix },
    manifest: manifestPath,
    columns: description.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
    ...(parts.partitions ? { partitions: parts.partitions } : {}),
  };
  // The result first: a retry that finds the stage step finds what it describes.
  await ctx.saveResult({ extract: result });
  await ctx.saveStep('stage', {
    connection: plan.stageName,
    manifest: manifestPath,
    rows,
    files: files.length,
    bytes,
  });
  return result;
}

/**
 * Source → part files → stage → manifest, in one piece or, with `options.partitions`, as
 * partitions any worker of the label may take. Every attempt starts from empty folders.
 */
export async function runExtract(ctx: ServiceContext, plan: ExtractPlan): Promise<ExtractResult> {
  const stage = ctx.connectors.stage(plan.stageName);
  const source = ctx.connectors.source(plan.source.connection);
  ctx.step('describe');
  const description = await source.describe(plan.source, { signal: ctx.signal });
  const partitioned = await runPartitionedExtract(ctx, plan, description);
  if (partitioned.kind === 'partitioned') return finishExtract(ctx, plan, partitioned.parts);
  const prefix = stagePrefixFor(plan.stagePath, ctx.jobId);
  const workDir = workDirFor(ctx.config.application.work_dir, ctx.jobId);
  ctx.step('prepare');
  const files = await inScratchFolder(workDir, async () => {
    await stage.remove(prefix, { signal: ctx.signal });
    ctx.progress.startPhase('extract', description.estimatedRows);
    ctx.step('extract');
    const input = await source.extractCsv(plan.source, description.columns, { signal: ctx.signal });
    const written = await writePartsFrom(input, description.columns, {
      format: plan.format,
      fileSizeMb: plan.fileSizeMb,
      workDir,
      signal: ctx.signal,
      onProgress: (delta) => ctx.progress.add(delta),
    });
    const rows = written.reduce((sum, f) => sum + f.rows, 0);
    const bytes = written.reduce((sum, f) => sum + f.bytes, 0);
    await ctx.saveStep('extract', { rows, files: written.length, bytes });
    ctx.step('stage');
    return stageParts(stage, ctx.signal, prefix, written);
  });
  const partitions = partitioned.kind === 'single' ? partitioned.partitions : undefined;
  return finishExtract(ctx, plan, { description, files, ...(partitions ? { partitions } : {}) });
}
