import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { azureStore, s3Store } from './external.js';
import { localPath, type StageDefinition } from './stage-paths.js';
import type { ResolvedOptions } from './state.js';

export type StagedFile = { rel: string; size: number; md5: string; lastModified: Date };

/** The files of one stage location, whatever stores them. Paths are relative to the location. */
export type StageStore = {
  /** Files whose relative path starts with `prefix` (a string prefix, as in Snowflake). */
  list(prefix: string): Promise<StagedFile[]>;
  remove(rel: string): Promise<void>;
  /**
   * A local copy of one file (external stores download it into `scratchDir`), or undefined if it
   * does not exist. `md5` is the content hash, for load history.
   */
  fetch(rel: string, scratchDir: string): Promise<{ file: string; md5: string } | undefined>;
};

export async function md5OfFile(file: string): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function walk(folder: string, base = ''): Promise<string[]> {
  const entries = await readdir(path.join(folder, base), { withFileTypes: true }).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  });
  const files: string[] = [];
  for (const entry of entries) {
    const rel = base === '' ? entry.name : `${base}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await walk(folder, rel)));
    else if (entry.isFile()) files.push(rel);
  }
  return files;
}

function internalStore(folder: string): StageStore {
  return {
    async list(prefix) {
      const rels = (await walk(folder)).filter((rel) => rel.startsWith(prefix)).sort();
      return Promise.all(
        rels.map(async (rel) => {
          const file = localPath(folder, rel);
          const info = await stat(file);
          return { rel, size: info.size, md5: await md5OfFile(file), lastModified: info.mtime };
        }),
      );
    },
    async remove(rel) {
      await rm(localPath(folder, rel), { force: true });
    },
    async fetch(rel) {
      const file = localPath(folder, rel);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      return { file, md5: await md5OfFile(file) };
    },
  };
}

export function storeFor(definition: StageDefinition, options: ResolvedOptions): StageStore {
  switch (definition.kind) {
    case 'internal':
      return internalStore(definition.folder);
    case 's3':
      return s3Store(definition, options);
    case 'azure':
      return azureStore(definition, options);
  }
}
