import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveFilePath } from './resolve.js';

/** A pnpm workspace package: `dir` relative to the root (`packages/files`, `tests`). */
export type WorkspacePackage = { name: string; dir: string; exports?: unknown; main?: string };

/** The folders pnpm-workspace.yaml names: each of these, or each folder directly inside it. */
const WORKSPACE_FOLDERS = ['apps', 'packages', 'tests', 'bench'];
/** The conditions TypeScript's NodeNext resolution honours for an ES module import. */
const CONDITIONS = new Set(['types', 'import', 'node', 'default']);

function readPackage(root: string, dir: string): WorkspacePackage | undefined {
  const file = path.join(root, dir, 'package.json');
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (typeof manifest.name !== 'string') return undefined;
  return {
    name: manifest.name,
    dir,
    ...(manifest.exports === undefined ? {} : { exports: manifest.exports }),
    ...(typeof manifest.main === 'string' ? { main: manifest.main } : {}),
  };
}

export function readWorkspacePackages(root: string): WorkspacePackage[] {
  const packages: WorkspacePackage[] = [];
  for (const top of WORKSPACE_FOLDERS) {
    if (!existsSync(path.join(root, top))) continue;
    const own = readPackage(root, top);
    if (own) packages.push(own);
    for (const entry of readdirSync(path.join(root, top), { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules') continue;
      const inner = readPackage(root, `${top}/${entry.name}`);
      if (inner) packages.push(inner);
    }
  }
  return packages;
}

/** The workspace package a repository file belongs to (the innermost one). */
export function packageOfFile(packages: WorkspacePackage[], file: string): WorkspacePackage | undefined {
  let best: WorkspacePackage | undefined;
  for (const p of packages) {
    if (file.startsWith(`${p.dir}/`) && (!best || p.dir.length > best.dir.length)) best = p;
  }
  return best;
}

function conditionalTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const target = conditionalTarget(item);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [condition, inner] of Object.entries(value)) {
    if (!CONDITIONS.has(condition)) continue;
    const target = conditionalTarget(inner);
    if (target !== undefined) return target;
  }
  return undefined;
}

/** What `exports` maps a subpath (`.`, `./catalog`) to, with `*` patterns filled in. */
export function exportTarget(exports: unknown, subpath: string): string | undefined {
  if (typeof exports === 'string' || Array.isArray(exports)) {
    return subpath === '.' ? conditionalTarget(exports) : undefined;
  }
  if (exports === null || typeof exports !== 'object') return undefined;
  const entries = Object.entries(exports);
  if (!entries.some(([key]) => key.startsWith('.'))) {
    return subpath === '.' ? conditionalTarget(exports) : undefined;
  }
  const exact = entries.find(([key]) => key === subpath);
  if (exact) return conditionalTarget(exact[1]);
  for (const [key, value] of entries) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const [before, after] = [key.slice(0, star), key.slice(star + 1)];
    if (!subpath.startsWith(before) || !subpath.endsWith(after) || subpath.length < key.length - 1) continue;
    const matched = subpath.slice(before.length, subpath.length - after.length);
    return conditionalTarget(value)?.replaceAll('*', matched);
  }
  return undefined;
}

/**
 * The file a `@dxa/…` specifier loads, through the package's `exports` (or `main` and plain paths
 * when it has none); `not-workspace` for any other package, undefined when the package does not
 * export the subpath.
 */
export function resolveWorkspaceSpecifier(
  root: string,
  packages: WorkspacePackage[],
  specifier: string,
): { file: string } | 'asset' | 'not-workspace' | undefined {
  const owner = packages.find((p) => specifier === p.name || specifier.startsWith(`${p.name}/`));
  if (!owner) return 'not-workspace';
  const rest = specifier.slice(owner.name.length);
  const subpath = rest === '' ? '.' : `.${rest}`;
  const target =
    owner.exports !== undefined
      ? exportTarget(owner.exports, subpath)
      : subpath === '.'
        ? (owner.main ?? 'index.ts')
        : subpath;
  if (target === undefined) return undefined;
  return resolveFilePath(path.resolve(root, owner.dir, target));
}
