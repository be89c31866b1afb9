import { existsSync, statSync } from 'node:fs';

export const TS_FILE = /\.(ts|mts|cts|tsx)$/;

function isFile(abs: string): boolean {
  return existsSync(abs) && statSync(abs).isFile();
}

/**
 * The file a path names the way TypeScript's NodeNext resolution finds it: `./x.js` is `./x.ts`,
 * a folder is its `index.ts`. `asset` for an existing file that is not TypeScript (JSON, say).
 */
export function resolveFilePath(abs: string): { file: string } | 'asset' | undefined {
  const swapped = abs
    .replace(/\.js$/, '.ts')
    .replace(/\.mjs$/, '.mts')
    .replace(/\.cjs$/, '.cts');
  const candidates = [
    swapped,
    abs.replace(/\.js$/, '.tsx'),
    abs,
    `${abs}.ts`,
    `${abs}.tsx`,
    `${abs}/index.ts`,
  ];
  for (const candidate of candidates) {
    if (!isFile(candidate)) continue;
    return TS_FILE.test(candidate) ? { file: candidate } : 'asset';
  }
  return undefined;
}

/** `pg` of `pg/lib/x`, `@aws-sdk/client-s3` of `@aws-sdk/client-s3/dist`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
