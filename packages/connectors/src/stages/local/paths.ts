import path from 'node:path';
import { TerminalError } from '@dxa/errors';

/**
 * Resolves a stage-relative path under `root`, refusing absolute paths, `..` segments and
 * anything else that would land outside the root. An empty path means the root itself.
 */
export function resolveUnder(root: string, relPath: string): string {
  const fail = (why: string) => new TerminalError('STAGE_ERROR', `stage path "${relPath}" ${why}`);
  if (relPath.includes('\0')) throw fail('contains NUL');
  if (
    path.isAbsolute(relPath) ||
    relPath.startsWith('/') ||
    relPath.startsWith('\\') ||
    /^[A-Za-z]:/.test(relPath)
  ) {
    throw fail('must be relative');
  }
  if (relPath.split(/[\\/]/).includes('..')) throw fail('must not contain ".."');
  const full = path.resolve(root, relPath);
  if (full !== root && !full.startsWith(root + path.sep)) throw fail('is outside the stage');
  return full;
}

/** A file path inside the stage: like resolveUnder, but the root itself is not a file. */
export function resolveFile(root: string, relPath: string): string {
  const full = resolveUnder(root, relPath);
  if (full === root) throw new TerminalError('STAGE_ERROR', `stage path "${relPath}" does not name a file`);
  return full;
}

/** Stage-relative path with `/` separators. */
export function toRelPath(root: string, full: string): string {
  return path.relative(root, full).split(path.sep).join('/');
}

/**
 * The folder to walk for a string prefix: `a/b/par` lists `a/b` and keeps names starting with
 * `par`, as object stores do.
 */
export function prefixFolder(root: string, prefix: string): string {
  const slash = prefix.lastIndexOf('/');
  return resolveUnder(root, slash < 0 ? '' : prefix.slice(0, slash));
}
