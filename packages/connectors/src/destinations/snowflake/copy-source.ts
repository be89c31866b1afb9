import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '@dxa/logger';
import type { ExternalLocation, LoadFile, RunContext, StageConnector } from '../../core/types.js';
import {
  checkStagePath,
  quoteConfiguredName,
  quoteIdent,
  sanitizeJobId,
  sqlString,
} from '../../snowflake/names.js';
import { cleanupContext, type SnowflakeSession } from '../../snowflake/session.js';
import { isSnowflakeStage } from '../../stages/snowflake/snowflake-stage.js';
import { putFile, tempDir, withStagedName } from '../../stages/snowflake/transfer.js';
import type { CopySource } from './copy.js';

export type SourceEnv = {
  session: SnowflakeSession;
  stage: StageConnector;
  ctx: RunContext;
  /** The target's identity: a snowflake_stage of the same account and user is read in place. */
  identity: string;
  log: Logger;
};

/** The folder all files share (`a/b/`), and each file's path below it. */
function splitCommonFolder(files: LoadFile[]): { folder: string; names: { name: string; file: LoadFile }[] } {
  const dirs = files.map((f) => checkStagePath(f.relPath).split('/').slice(0, -1));
  let common = dirs[0] ?? [];
  for (const dir of dirs) {
    let n = 0;
    while (n < common.length && n < dir.length && common[n] === dir[n]) n++;
    common = common.slice(0, n);
  }
  const folder = common.length > 0 ? `${common.join('/')}/` : '';
  return { folder, names: files.map((file) => ({ name: file.relPath.slice(folder.length), file })) };
}

function credentialsClause(location: ExternalLocation): string | undefined {
  if (location.storageIntegration !== undefined)
    return `STORAGE_INTEGRATION = ${quoteConfiguredName(location.storageIntegration)}`;
  if (location.kind === 's3' && location.credentials !== undefined)
    return `CREDENTIALS = (AWS_KEY_ID = ${sqlString(location.credentials.accessKeyId)} AWS_SECRET_KEY = ${sqlString(location.credentials.secretAccessKey)})`;
  if (location.kind === 'azure_blob' && location.sasToken !== undefined)
    return `CREDENTIALS = (AZURE_SAS_TOKEN = ${sqlString(location.sasToken)})`;
  // Credentials from a profile or a default chain cannot be handed to Snowflake.
  return undefined;
}

/** A temporary stage over the cloud stage's root; its statement carries credentials and is never logged. */
async function externalSource(
  env: SourceEnv,
  location: ExternalLocation,
  auth: string,
  files: LoadFile[],
  jobId: string,
): Promise<CopySource> {
  if (location.kind === 's3' && location.credentials)
    env.session.addSecrets([location.credentials.secretAccessKey]);
  if (location.kind === 'azure_blob' && location.sasToken) env.session.addSecrets([location.sasToken]);
  const name = quoteIdent(`DXA_${sanitizeJobId(jobId)}`);
  await env.session.execute(
    `CREATE TEMPORARY STAGE IF NOT EXISTS ${name} URL = ${sqlString(location.url)} ${auth}`,
    env.ctx,
    {
      what: `create a temporary stage over ${location.kind === 's3' ? 'S3' : 'Azure Blob'}`,
      failure: 'STAGE_ERROR',
    },
  );
  const { folder, names } = splitCommonFolder(files);
  // Temporary stages end with the session; nothing to clean up.
  return { location: `@${name}/${folder}`, files: names, cleanup: () => Promise.resolve() };
}

/** The local copy of a staged file: in place, or streamed through the stage into `tmp`. */
async function localCopy(env: SourceEnv, file: LoadFile, tmp: string): Promise<string> {
  const local = file.localPath ?? env.stage.localPath(file.relPath);
  if (local !== undefined) return local;
  const copy = path.join(tmp, path.posix.basename(file.relPath));
  await pipeline(await env.stage.read(file.relPath, env.ctx), createWriteStream(copy), {
    signal: env.ctx.signal,
  });
  return copy;
}

/** PUTs every file into the user stage under `dxa/<jobId>/`, removed again after the load. */
async function uploadedSource(env: SourceEnv, files: LoadFile[], jobId: string): Promise<CopySource> {
  const root = `@~/dxa/${sanitizeJobId(jobId)}/`;
  const { names } = splitCommonFolder(files);
  const cleanup = async () => {
    await env.session
      .execute(`REMOVE ${root}`, cleanupContext(), { what: `REMOVE ${root}`, failure: 'STAGE_ERROR' })
      .catch((err: unknown) => env.log.warn('removing uploaded files failed', { error: String(err) }));
  };
  try {
    for (const { name, file } of names) {
      const tmp = await tempDir();
      try {
        const local = await localCopy(env, file, tmp);
        const folder = `${root}${path.posix.dirname(name) === '.' ? '' : `${path.posix.dirname(name)}/`}`;
        await withStagedName(local, path.posix.basename(name), (named) =>
          putFile(env.session, named, folder, env.ctx, 'LOAD_ERROR'),
        );
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { location: root, files: names, cleanup };
}

/**
 * Decides where COPY reads the files from: the Snowflake stage they are in, a temporary external
 * stage over the cloud stage holding them, or the user stage after PUT (local files, and cloud
 * stages whose credentials cannot be handed to Snowflake).
 */
export async function prepareCopySource(
  env: SourceEnv,
  files: LoadFile[],
  jobId: string,
): Promise<CopySource> {
  const { stage } = env;
  if (isSnowflakeStage(stage)) {
    if (stage.identity === env.identity) {
      const { folder, names } = splitCommonFolder(files);
      return {
        location: `${stage.location(folder)}${folder === '' ? '/' : ''}`,
        files: names,
        cleanup: () => Promise.resolve(),
      };
    }
    env.log.info(
      'the snowflake stage belongs to another account or user; copying its files through this one',
    );
  } else if (stage.externalLocation) {
    const location = stage.externalLocation();
    const auth = credentialsClause(location);
    if (auth !== undefined) return externalSource(env, location, auth, files, jobId);
    env.log.info(
      'the cloud stage has no credentials Snowflake can use (keys, SAS token or storage integration); uploading its files',
    );
  }
  return uploadedSource(env, files, jobId);
}
