import { createHash } from 'node:crypto';
import type { Column, LoadFile, LogicalType, StageConnector } from '@dxa/connectors';
import type { LoadMode, LoadResult } from '@dxa/contracts';
import { TerminalError, coerceError } from '@dxa/errors';
import { parseManifest, sha256File, type Manifest } from '@dxa/files';
import type { ServiceContext } from '../handlers/types.js';

export type LoadPlan = {
  stageName: string;
  /** Relative path of the manifest in the stage; the parts sit next to it. */
  manifestPath: string;
  table: string;
  mode: LoadMode;
  targetConnection: string;
};

const LOGICAL_TYPES = new Set<string>([
  'boolean',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'decimal',
  'text',
  'binary',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'interval',
  'uuid',
  'json',
] satisfies LogicalType[]);

function isLogicalType(type: string): type is LogicalType {
  return LOGICAL_TYPES.has(type);
}

function folderOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash === -1 ? '' : relPath.slice(0, slash + 1);
}

async function readManifest(
  ctx: ServiceContext,
  stage: StageConnector,
  manifestPath: string,
): Promise<Manifest> {
  const text = await stage.getText(manifestPath, { signal: ctx.signal });
  if (text === undefined) {
    throw new TerminalError(
      'STAGE_ERROR',
      `manifest ${stage.describe(manifestPath)} does not exist; was the extract job's stage cleaned?`,
    );
  }
  try {
    return parseManifest(text);
  } catch (err) {
    throw new TerminalError(
      'INTEGRITY_ERROR',
      `manifest ${stage.describe(manifestPath)} is not valid: ${coerceError(err).message}`,
    );
  }
}

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

/** sha256 of a staged file: read in place when the stage is local, else streamed from the stage. */
async function stagedSha256(ctx: ServiceContext, stage: StageConnector, relPath: string): Promise<string> {
  const local = stage.localPath(relPath);
  if (local !== undefined) return sha256File(local);
  const hash = createHash('sha256');
  for await (const chunk of await stage.read(relPath, { signal: ctx.signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every staged part must match its manifest entry before anything is loaded. */
async function verifyParts(
  ctx: ServiceContext,
  stage: StageConnector,
  manifest: Manifest,
  folder: string,
): Promise<LoadFile[]> {
  const files: LoadFile[] = [];
  for (const entry of manifest.files) {
    const relPath = `${folder}${entry.name}`;
    const actual = await stagedSha256(ctx, stage, relPath).catch((err: unknown) => {
      if (ctx.signal.aborted) throw err;
      throw new TerminalError(
        'INTEGRITY_ERROR',
        `staged file ${stage.describe(relPath)} cannot be read: ${coerceError(err).message}`,
      );
    });
    if (actual !== entry.sha256) {
      throw new TerminalError(
        'INTEGRITY_ERROR',
        `staged file ${stage.describe(relPath)} does not match its manifest (sha256 ${actual}, expected ${entry.sha256})`,
      );
    }
    files.push({ relPath, localPath: stage.localPath(relPath), rows: entry.rows });
  }
  return files;
}

/** Manifest → checksum verification → one all-or-nothing destination load. */
export async function runLoad(ctx: ServiceContext, plan: LoadPlan): Promise<LoadResult> {
  const stage = ctx.connectors.stage(plan.stageName);
  const destination = ctx.connectors.destination(plan.targetConnection);
  ctx.step('read-manifest');
  const manifest = await readManifest(ctx, stage, plan.manifestPath);
  ctx.progress.startPhase('load', manifest.rows);
  ctx.step('verify');
  const files = await verifyParts(ctx, stage, manifest, folderOf(plan.manifestPath));
  ctx.step('load');
  const request = {
    table: plan.table,
    mode: plan.mode,
    columns: columnsOf(manifest),
    format: manifest.format,
    files,
    jobId: ctx.jobId,
  };
  const { rows } = await destination.load(request, stage, { signal: ctx.signal });
  ctx.progress.set({ rows, files: files.length, bytes: manifest.files.reduce((sum, f) => sum + f.bytes, 0) });
  await ctx.progress.endPhase();
  return { rows, table: plan.table, mode: plan.mode };
}
