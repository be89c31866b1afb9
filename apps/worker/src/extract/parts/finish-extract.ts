import type { SourceDescription } from '@dxa/connectors';
import type { ExtractPartitions, ExtractResult, PartitionFile } from '@dxa/contracts';
import { buildManifest } from '@dxa/files';
import type { ServiceContext } from '../../handlers/types.js';
import type { ExtractPlan } from '../plan/extract-plan.js';
import { manifestPathFor, stagePrefixFor } from '../plan/stage-paths.js';

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
