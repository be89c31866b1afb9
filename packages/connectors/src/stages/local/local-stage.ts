import { access, constants, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { LocalStage } from './description.js';
import { CancelledError, TerminalError, TransientError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { RunContext, StageConnector } from '../../core/types.js';
import { copyDurably, writeAtomically } from './durable-fs.js';
import { listObjects, removeObjects } from './listing.js';
import { resolveFile, toRelPath } from './paths.js';

function throwIfAborted(ctx: RunContext): void {
  if (!ctx.signal.aborted) return;
  const reason: unknown = ctx.signal.reason;
  throw reason instanceof Error && reason.name !== 'AbortError' ? reason : new CancelledError();
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Renames the file into the stage, or copies it when the stage is on another filesystem. */
async function moveIn(root: string, localFile: string, dest: string, signal: AbortSignal): Promise<number> {
  const expected = (await stat(localFile)).size;
  await mkdir(path.dirname(dest), { recursive: true });
  try {
    await rename(localFile, dest);
  } catch (err) {
    if (errnoCode(err) !== 'EXDEV') throw err;
    await copyDurably(localFile, dest, signal);
    await unlink(localFile);
  }
  const actual = (await stat(dest)).size;
  if (actual !== expected) {
    throw new TransientError(
      'STAGE_ERROR',
      `staged ${toRelPath(root, dest)} has ${actual} bytes, expected ${expected}`,
    );
  }
  return actual;
}

export function createLocalStage(conn: LocalStage, logger: Logger): StageConnector {
  const root = path.resolve(conn.path);
  const log = logger.child({ connector: 'local-stage' });

  return {
    kind: 'local',

    async check(ctx) {
      throwIfAborted(ctx);
      await mkdir(root, { recursive: true });
      await access(root, constants.R_OK | constants.W_OK);
    },

    async put(localFile, relPath, ctx) {
      throwIfAborted(ctx);
      const dest = resolveFile(root, relPath);
      const bytes = await moveIn(root, localFile, dest, ctx.signal);
      log.debug('staged file', { path: toRelPath(root, dest), bytes });
      return { path: toRelPath(root, dest), bytes };
    },

    async putText(relPath, text, ctx) {
      throwIfAborted(ctx);
      const file = resolveFile(root, relPath);
      await mkdir(path.dirname(file), { recursive: true });
      await writeAtomically(file, text);
      return { path: toRelPath(root, file), bytes: Buffer.byteLength(text, 'utf8') };
    },

    async getText(relPath, ctx) {
      throwIfAborted(ctx);
      try {
        return await readFile(resolveFile(root, relPath), 'utf8');
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') return undefined;
        throw err;
      }
    },

    async read(relPath, ctx) {
      throwIfAborted(ctx);
      const file = resolveFile(root, relPath);
      // Opening first makes a missing file fail here rather than as a later stream error.
      const handle = await open(file, 'r').catch((err: unknown) => {
        if (errnoCode(err) === 'ENOENT')
          throw new TerminalError('STAGE_ERROR', `staged file ${relPath} does not exist`);
        throw err;
      });
      return handle.createReadStream({ signal: ctx.signal });
    },

    async list(prefix, ctx) {
      throwIfAborted(ctx);
      return listObjects(root, prefix);
    },

    async remove(prefix, ctx) {
      throwIfAborted(ctx);
      await removeObjects(root, prefix);
    },

    localPath: (relPath) => resolveFile(root, relPath),
    describe: (relPath) => resolveFile(root, relPath),
    close: () => Promise.resolve(),
  };
}
