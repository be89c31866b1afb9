import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Violation } from './rules.js';

/** Files that are binary by nature; every other file of the repository is text. */
const BINARY_EXTENSIONS = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.ico',
  '.webp',
  '.pdf',
  '.woff',
  '.woff2',
  '.gz',
  '.tgz',
  '.zip',
  '.parquet',
  '.duckdb',
  '.db',
  '.sqlite',
]);
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'coverage']);

/** What git tracks when `root` is a checkout; every file below it (but installs and builds) otherwise. */
function trackedFiles(root: string): string[] {
  const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8' });
  if (top.status === 0 && realpathSync(top.stdout.trim()) === realpathSync(root)) {
    const listed = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (listed.status === 0) return listed.stdout.split('\0').filter((f) => f.length > 0);
  }
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) walk(rel);
      else if (entry.isFile()) found.push(rel);
    }
  };
  walk('');
  return found;
}

function lineAndColumn(bytes: Buffer, offset: number): string {
  const before = bytes.subarray(0, offset);
  const line = before.filter((b) => b === 0x0a).length + 1;
  return `line ${line}, column ${offset - before.lastIndexOf(0x0a)}`;
}

/** A NUL byte makes git treat a source file as binary: its changes then show in no diff. */
export function nulBytes(root: string): Violation[] {
  const found: Violation[] = [];
  for (const file of trackedFiles(root)) {
    if (BINARY_EXTENSIONS.has(path.extname(file).toLowerCase())) continue;
    const abs = path.join(root, file);
    if (!existsSync(abs) || !lstatSync(abs).isFile()) continue;
    const bytes = readFileSync(abs);
    const at = bytes.indexOf(0);
    if (at === -1) continue;
    found.push({
      rule: 'nul-byte',
      message: `${file} holds a NUL byte (${lineAndColumn(bytes, at)}); git treats it as binary and shows no diff of it: write it as an escape (\\0 or \\u0000)`,
    });
  }
  return found;
}
