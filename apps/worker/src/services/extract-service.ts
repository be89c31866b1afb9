import { mkdir, rm } from 'node:fs/promises';
import type { Column, StageConnector } from '@dxa/connectors';
import type { ExtractResult, FileFormat, SourceRef, StagedFile } from '@dxa/contracts';
import {
  buildManifest,
  writeCsvGzipParts,
  writeParquetParts,
  type EncodeColumn,
  type WrittenFile,
} from '@dxa/files';
import type { ServiceContext } from '../handlers/types.js';
import { manifestPathFor, stagePrefixFor, workDirFor } from './stage-paths.js';

export type ExtractPlan = {
  source: SourceRef;
  stageName: string;
  /** The folder inside the stage the job asked for; the job id is appended. */
  stagePath: string | undefined;
  format: FileFormat;
  fileSizeMb: number;
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

/** Moves the finished parts into the stage, in order; the manifest is written after all of them. */
async function stageParts(
  ctx: ServiceContext,
  stage: StageConnector,
  prefix: string,
  files: WrittenFile[],
): Promise<StagedFile[]> {
  const staged: StagedFile[] = [];
  for (const file of files) {
    const relPath = `${prefix}${file.name}`;
    await stage.put(file.localPath, relPath, { signal: ctx.signal });
    staged.push({ path: stage.describe(relPath), rows: file.rows, bytes: file.bytes, sha256: file.sha256 });
  }
  return staged;
}

/** Streams the source through the part writer into the local work folder. */
async function writeParts(
  ctx: ServiceContext,
  plan: ExtractPlan,
  columns: Column[],
  workDir: string,
): Promise<WrittenFile[]> {
  const source = ctx.connectors.source(plan.source.connection);
  const input = await source.extractCsv(plan.source, columns, { signal: ctx.signal });
  const writer = plan.format === 'csv' ? writeCsvGzipParts : writeParquetParts;
  try {
    return await writer({
      input,
      columns: columns.map(encodeColumn),
      dir: workDir,
      fileSizeBytes: Math.max(1, Math.round(plan.fileSizeMb * MB)),
      signal: ctx.signal,
      onProgress: (delta) => ctx.progress.add(delta),
    });
  } finally {
    input.destroy();
  }
}

/**
 * Source → part files → stage → manifest. Every attempt starts from an empty work folder and an
 * empty stage folder, and the manifest is written last, so a manifest always describes a complete set.
 */
export async function runExtract(ctx: ServiceContext, plan: ExtractPlan): Promise<ExtractResult> {
  const stage = ctx.connectors.stage(plan.stageName);
  const run = { signal: ctx.signal };
  ctx.step('describe');
  const description = await ctx.connectors.source(plan.source.connection).describe(plan.source, run);
  const prefix = stagePrefixFor(plan.stagePath, ctx.jobId);
  const workDir = workDirFor(ctx.config.application.work_dir, ctx.jobId);
  ctx.step('prepare');
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  try {
    await stage.remove(prefix, run);
    ctx.progress.startPhase('extract', description.estimatedRows);
    ctx.step('extract');
    const files = await writeParts(ctx, plan, description.columns, workDir);
    const rows = files.reduce((sum, f) => sum + f.rows, 0);
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    await ctx.saveStep('extract', { rows, files: files.length, bytes });
    ctx.step('stage');
    const staged = await stageParts(ctx, stage, prefix, files);
    const manifestPath = manifestPathFor(prefix);
    const manifest = buildManifest({
      jobId: ctx.jobId,
      format: plan.format,
      columns: description.columns,
      files,
    });
    await stage.putText(manifestPath, JSON.stringify(manifest, null, 2), run);
    ctx.progress.set({ rows, files: files.length, bytes });
    await ctx.progress.endPhase();
    ctx.onRowsExtracted(rows);
    const result: ExtractResult = {
      rows,
      files: staged,
      format: plan.format,
      stage: { connection: plan.stageName, path: prefix },
      manifest: manifestPath,
      columns: description.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
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
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
