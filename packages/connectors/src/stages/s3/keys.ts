import { TerminalError } from '@dxa/errors';

/** Collapses repeated slashes and strips leading and trailing ones: ` /a//b/ ` → `a/b`. */
export function normalisePrefix(prefix: string): string {
  return prefix
    .trim()
    .split('/')
    .filter((segment) => segment !== '')
    .join('/');
}

function checkSegments(relPath: string): void {
  const fail = (why: string) => new TerminalError('STAGE_ERROR', `stage path "${relPath}" ${why}`);
  if (relPath.includes('\0')) throw fail('contains NUL');
  if (relPath.split('/').some((s) => s === '..' || s === '.'))
    throw fail('must not contain "." or ".." segments');
}

/** Maps stage-relative paths to object keys under the configured prefix and back. */
export type KeyMapper = {
  /** `<prefix>/<relPath>`; refuses an empty path and `..` segments. */
  key(relPath: string): string;
  /** The key prefix for a string-prefix listing; keeps a trailing slash. */
  listPrefix(prefix: string): string;
  /** The stage-relative path of a key returned by a listing. */
  relative(key: string): string;
};

export function keyMapper(configuredPrefix: string): KeyMapper {
  const base = normalisePrefix(configuredPrefix);
  const head = base === '' ? '' : `${base}/`;
  const clean = (relPath: string): string => {
    checkSegments(relPath);
    return relPath.replace(/\/{2,}/g, '/').replace(/^\/+/, '');
  };
  return {
    key(relPath) {
      const rel = clean(relPath);
      if (rel === '' || rel.endsWith('/'))
        throw new TerminalError('STAGE_ERROR', `stage path "${relPath}" does not name a file`);
      return head + rel;
    },
    listPrefix: (prefix) => head + clean(prefix),
    relative: (key) => (key.startsWith(head) ? key.slice(head.length) : key),
  };
}
