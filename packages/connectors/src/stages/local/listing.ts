import type { Dirent } from 'node:fs';
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { StagedObject } from '../../core/types.js';
import { TMP_SUFFIX } from './durable-fs.js';
import { prefixFolder, toRelPath } from './paths.js';

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return [];
    throw err;
  }
}

/** Every folder from `dir` down, children before parents, as absolute paths. */
export async function* walkFoldersBottomUp(dir: string): AsyncGenerator<string> {
  const list = await entries(dir);
  for (const entry of list) {
    if (entry.isDirectory()) yield* walkFoldersBottomUp(path.join(dir, entry.name));
  }
  yield dir;
}

/** Every file below `dir`, depth first, as absolute paths. */
export async function* walkFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await entries(dir)) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkFiles(full);
    else if (entry.isFile()) yield full;
  }
}

/** Objects whose stage-relative path starts with `prefix` (a string prefix, as in object stores), sorted. */
export async function listObjects(root: string, prefix: string): Promise<StagedObject[]> {
  const found: StagedObject[] = [];
  for await (const full of walkFiles(prefixFolder(root, prefix))) {
    const rel = toRelPath(root, full);
    if (!rel.startsWith(prefix) || rel.endsWith(TMP_SUFFIX)) continue;
    found.push({ path: rel, bytes: (await stat(full)).size });
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Removes every file under the prefix (temporary ones too) and the folders it empties; never the root. */
export async function removeObjects(root: string, prefix: string): Promise<void> {
  const folder = prefixFolder(root, prefix);
  for await (const full of walkFiles(folder)) {
    if (toRelPath(root, full).startsWith(prefix)) await rm(full, { force: true });
  }
  for await (const dir of walkFoldersBottomUp(folder)) {
    if (dir !== root && `${toRelPath(root, dir)}/`.startsWith(prefix))
      await rmdir(dir).catch(() => undefined);
  }
}
