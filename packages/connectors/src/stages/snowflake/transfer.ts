import { copyFile, link, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TerminalError } from '@dxa/errors';
import type { RunContext } from '../../core/types.js';
import { sqlString, type StageRef } from '../../snowflake/names.js';
import type { Row, SnowflakeSession } from '../../snowflake/session.js';

/** Files PUT uploads at once (the driver's PARALLEL; one file per statement here, so it splits large ones). */
const PUT_PARALLEL = 4;

export function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'dxa-snowflake-'));
}

/** `'file:///abs/path'`: PUT and GET take local paths as file URLs in a string literal. */
export function fileUrl(absPath: string): string {
  return sqlString(`file://${path.resolve(absPath)}`);
}

/**
 * PUT names the staged file after the local one. When they differ, the file is linked (or copied,
 * across devices) under the staged name in a temporary folder first.
 */
export async function withStagedName<T>(
  localFile: string,
  name: string,
  fn: (file: string) => Promise<T>,
): Promise<T> {
  if (path.basename(localFile) === name) return fn(localFile);
  const dir = await tempDir();
  try {
    const named = path.join(dir, name);
    await link(localFile, named).catch(() => copyFile(localFile, named));
    return await fn(named);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Uploads one local file into a stage folder (`@~/a/b/`); fails unless the driver reports it uploaded. */
export async function putFile(
  session: SnowflakeSession,
  localFile: string,
  folder: string,
  ctx: RunContext,
  failure: 'STAGE_ERROR' | 'LOAD_ERROR' = 'STAGE_ERROR',
): Promise<void> {
  const sql = `PUT ${fileUrl(localFile)} ${folder} AUTO_COMPRESS = FALSE OVERWRITE = TRUE PARALLEL = ${PUT_PARALLEL}`;
  const rows = await session.execute(sql, ctx, {
    what: `PUT ${path.basename(localFile)} to ${folder}`,
    failure,
  });
  const status = rows.map((r: Row) => (typeof r.status === 'string' ? r.status.toUpperCase() : ''));
  if (status.length !== 1 || status[0] !== 'UPLOADED') {
    throw new TerminalError(
      'STAGE_ERROR',
      `snowflake stage: PUT ${path.basename(localFile)} to ${folder} reported ${status.join(', ') || 'nothing'}`,
    );
  }
}

/**
 * Internal stages store files encrypted, so LIST may report the size padded to the next multiple of
 * 16 bytes (AES block); anything else means the upload is not the file.
 */
export function sizeMatches(listed: number, expected: number): boolean {
  return listed === expected || (listed % 16 === 0 && listed > expected && listed - expected <= 16);
}

/**
 * LIST names files `<stage label>/<path>` for named stages and `<path>` for user and table stages;
 * this returns the path inside the stage.
 */
export function listedPath(ref: StageRef, name: string): string {
  return ref.named === undefined ? name : name.slice(name.indexOf('/') + 1);
}
