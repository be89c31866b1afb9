import { rmdir } from 'node:fs/promises';
import type { Column } from '@dxa/connectors';
import { isLogicalType, type LoadMode, type LoadResult } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { Manifest } from '@dxa/files';
import type { ServiceContext } from '../handlers/types.js';
import { workDirFor } from '../extract/plan/stage-paths.js';
import { folderOf, readManifest, verifyParts, type VerifiedStage } from '../extract/parts/staged-files.js';

export type LoadPlan = {
  stageName: string;
  /** Relative path of the manifest in the stage; the parts sit next to it. */
  manifestPath: string;
  table: string;
  mode: LoadMode;
  targetConnection: string;
  /** Parts a retried migrate has just verified; read and verified here otherwise. */
  verified?: VerifiedStage;
};

function columnsOf(manifest: Manifest): Column[] {
  return manifest.columns.map((c) => {
    if (!isLogicalType(c.type))
      throw new TerminalError('INTEGRITY_ERROR', `manifest column ${c.name} has unknown type ${c.type}`);
    return {
      name: c.name,
      sourceType: c.source_type,
      type: c.type,
      nullable: c.nullable,
      ...(c.precision === undefined ? {} : { precision: c.precision }),
      ...(c.scale === undefined ? {} : { scale: c.scale }),
    };
  });
}

/** Manifest → checksum verification → one all-or-nothing destination load. */
export async function runLoad(ctx: ServiceContext, plan: LoadPlan): Promise<LoadResult> {
  const stage = ctx.connectors.stage(plan.stageName);
  const destination = ctx.connectors.destination(plan.targetConnection);
  ctx.step('read-manifest');
  const manifest = plan.verified?.manifest ?? (await readManifest(ctx, stage, plan.manifestPath));
  ctx.progress.startPhase('load', manifest.rows);
  ctx.step('verify');
  const files =
    plan.verified?.files ?? (await verifyParts(ctx, stage, manifest, folderOf(plan.manifestPath)));
  ctx.step('load');
  const workDir = workDirFor(ctx.config.application.work_dir, ctx.jobId);
  const request = {
    table: plan.table,
    mode: plan.mode,
    columns: columnsOf(manifest),
    format: manifest.format,
    files,
    jobId: ctx.jobId,
    workDir,
  };
  // A target that fetches parts works in a folder of its own inside workDir and removes it.
  const { rows } = await destination
    .load(request, stage, { signal: ctx.signal })
    .finally(() => rmdir(workDir).catch(() => undefined));
  ctx.progress.set({ rows, files: files.length, bytes: manifest.files.reduce((sum, f) => sum + f.bytes, 0) });
  await ctx.progress.endPhase();
  // Committed: a retry of the job must not load these files again.
  await ctx.saveStep('load', { rows, table: plan.table, mode: plan.mode, files: files.length });
  return { rows, table: plan.table, mode: plan.mode };
}
