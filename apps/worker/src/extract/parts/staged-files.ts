import { createHash } from 'node:crypto';
import type { LoadFile, StageConnector } from '@dxa/connectors';
import { TerminalError, coerceError } from '@dxa/errors';
import { parseManifest, sha256File, type Manifest } from '@dxa/files';
import type { ServiceContext } from '../../handlers/types.js';

/** A manifest whose every part was found on the stage with the checksum it lists. */
export type VerifiedStage = { manifestPath: string; manifest: Manifest; files: LoadFile[] };

/** The folder of a manifest (with its trailing slash): its parts sit next to it. */
export function folderOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash === -1 ? '' : relPath.slice(0, slash + 1);
}

export async function readManifest(
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

/** sha256 of a staged file: read in place when the stage is local, else streamed from the stage. */
async function stagedSha256(ctx: ServiceContext, stage: StageConnector, relPath: string): Promise<string> {
  const local = stage.localPath(relPath);
  if (local !== undefined) return sha256File(local);
  const hash = createHash('sha256');
  for await (const chunk of await stage.read(relPath, { signal: ctx.signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every staged part must exist and match its manifest entry before anything is loaded. */
export async function verifyParts(
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
    files.push({ relPath, localPath: stage.localPath(relPath), rows: entry.rows, bytes: entry.bytes });
  }
  return files;
}

/** Reads the manifest and checks every part it lists; the parts sit next to the manifest. */
export async function verifyStaged(
  ctx: ServiceContext,
  stage: StageConnector,
  manifestPath: string,
): Promise<VerifiedStage> {
  const manifest = await readManifest(ctx, stage, manifestPath);
  const files = await verifyParts(ctx, stage, manifest, folderOf(manifestPath));
  return { manifestPath, manifest, files };
}
