import { createReadStream } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { SnowflakeStageConfig } from './description.js';
import { TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { RunContext, StageConnector, StagedObject } from '../../core/types.js';
import type { FileLookupEnv } from '../../snowflake/connection-files.js';
import { checkStagePath, parseStageRef, qualified, stageLocation } from '../../snowflake/names.js';
import { resolveConnection, type SnowflakeTargetConfig } from '../../snowflake/options.js';
import { holdSession, type SnowflakeSession } from '../../snowflake/session.js';
import { fileUrl, listedPath, putFile, sizeMatches, tempDir, withStagedName } from './transfer.js';

export type { SnowflakeStageConfig };

/** A stage whose files a Snowflake target can COPY from in place. */
export type SnowflakeStageConnector = StageConnector & {
  readonly kind: 'snowflake_stage';
  /** Account, user and endpoint: a target with the same identity can read the stage (a user stage is per user). */
  readonly identity: string;
  /** `@<stage>/<root>/<relPath>` as statements address it. */
  location(relPath: string): string;
};

export function isSnowflakeStage(stage: StageConnector): stage is SnowflakeStageConnector {
  return (
    stage.kind === 'snowflake_stage' &&
    typeof (stage as Partial<SnowflakeStageConnector>).location === 'function'
  );
}

function dirAndName(relPath: string): { dir: string; name: string } {
  const clean = checkStagePath(relPath).replace(/^\/+/, '');
  const name = path.posix.basename(clean);
  if (name === '' || clean.endsWith('/'))
    throw new TerminalError('STAGE_ERROR', `stage path "${relPath}" does not name a file`);
  return { dir: path.posix.dirname(clean) === '.' ? '' : path.posix.dirname(clean), name };
}

/**
 * Snowflake internal stage (`@~`, `@%table` or a named stage, created when missing) reached with
 * PUT, GET, LIST and REMOVE through the target connection it names. Reads go through a temporary
 * local file, removed once read.
 */
export function createSnowflakeStage(
  conn: SnowflakeStageConfig,
  target: SnowflakeTargetConfig,
  logger: Logger,
  lookup: FileLookupEnv = { env: process.env },
): SnowflakeStageConnector {
  const resolved = resolveConnection(target, lookup);
  const ref = parseStageRef(conn.stage);
  const holder = holdSession(resolved, logger);
  const log = logger.child({ connector: 'snowflake-stage', stage: ref.label });
  const created = new WeakSet<SnowflakeSession>();
  const describe = (relPath: string) =>
    `snowflake://${resolved.account}/${ref.label}/${[ref.root, relPath].filter((p) => p !== '').join('/')}`;

  /** The session, with a named stage created once per session. */
  async function session(ctx: RunContext): Promise<SnowflakeSession> {
    const s = await holder.get(ctx);
    if (ref.named !== undefined && !created.has(s)) {
      await s.execute(`CREATE STAGE IF NOT EXISTS ${qualified(ref.named)}`, ctx, {
        what: `create stage ${ref.label}`,
        failure: 'STAGE_ERROR',
      });
      created.add(s);
    }
    return s;
  }

  async function listRows(prefix: string, ctx: RunContext): Promise<StagedObject[]> {
    const s = await session(ctx);
    const rows = await s.execute(`LIST ${stageLocation(ref, prefix)}`, ctx, {
      what: `LIST ${stageLocation(ref, prefix)}`,
      failure: 'STAGE_ERROR',
    });
    const root = ref.root === '' ? '' : `${ref.root}/`;
    const wanted = prefix.replace(/^\/+/, '');
    return rows
      .map((r) => ({ path: listedPath(ref, String(r.name)), bytes: Number(r.size) }))
      .filter((o) => o.path.startsWith(root))
      .map((o) => ({ path: o.path.slice(root.length), bytes: o.bytes }))
      .filter((o) => o.path.startsWith(wanted))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async function upload(localFile: string, relPath: string, ctx: RunContext): Promise<StagedObject> {
    const { dir, name } = dirAndName(relPath);
    const expected = (await stat(localFile)).size;
    const s = await session(ctx);
    await withStagedName(localFile, name, (file) => putFile(s, file, `${stageLocation(ref, dir)}/`, ctx));
    const listed = (await listRows(relPath, ctx)).find((o) => o.path === relPath.replace(/^\/+/, ''));
    if (listed === undefined || !sizeMatches(listed.bytes, expected)) {
      throw new TerminalError(
        'INTEGRITY_ERROR',
        `snowflake stage: ${describe(relPath)} has ${listed?.bytes ?? 'no'} bytes after PUT, expected ${expected}`,
      );
    }
    log.debug('staged file', { path: relPath, bytes: expected });
    return { path: relPath, bytes: expected };
  }

  /** GETs one file into a new temporary folder; undefined when the stage has no such file. */
  async function download(
    relPath: string,
    ctx: RunContext,
  ): Promise<{ dir: string; file: string } | undefined> {
    const { name } = dirAndName(relPath);
    const s = await session(ctx);
    const dir = await tempDir();
    try {
      const location = stageLocation(ref, relPath);
      await s.execute(`GET ${location} ${fileUrl(dir + path.sep)}`, ctx, {
        what: `GET ${location}`,
        failure: 'STAGE_ERROR',
      });
      const file = path.join(dir, name);
      if (await stat(file).catch(() => undefined)) return { dir, file };
      await rm(dir, { recursive: true, force: true });
      return undefined;
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  return {
    kind: 'snowflake_stage',
    identity: resolved.identity,
    location: (relPath) => stageLocation(ref, relPath),

    async check(ctx) {
      await listRows('', ctx);
    },

    put: upload,

    async putText(relPath, text, ctx) {
      const dir = await tempDir();
      try {
        const file = path.join(dir, dirAndName(relPath).name);
        await writeFile(file, text, 'utf8');
        return await upload(file, relPath, ctx);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    async getText(relPath, ctx) {
      const got = await download(relPath, ctx);
      if (got === undefined) return undefined;
      try {
        return await readFile(got.file, 'utf8');
      } finally {
        await rm(got.dir, { recursive: true, force: true });
      }
    },

    async read(relPath, ctx): Promise<Readable> {
      const got = await download(relPath, ctx);
      if (got === undefined)
        throw new TerminalError('STAGE_ERROR', `snowflake stage: ${describe(relPath)} does not exist`);
      const stream = createReadStream(got.file, { highWaterMark: 1 << 20 });
      // The temporary copy goes once the stream is done with, read to the end or not.
      stream.once('close', () => void rm(got.dir, { recursive: true, force: true }));
      return stream;
    },

    list: listRows,

    async remove(prefix, ctx) {
      const s = await session(ctx);
      const location = stageLocation(ref, prefix);
      await s.execute(`REMOVE ${location}`, ctx, { what: `REMOVE ${location}`, failure: 'STAGE_ERROR' });
    },

    localPath: () => undefined,
    describe,
    close: () => holder.close(),
  };
}
