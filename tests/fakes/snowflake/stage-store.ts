import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { azureStore, s3Store } from './external.js';
import { localPath, type StageDefinition } from './stage-paths.js';
import type { ResolvedOptions } from './state.js';
import { md5OfFile, type StageStore } from './stored-files.js';

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
