import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TerminalError, TransientError } from '@dxa/errors';
import type { LoadFile, StageConnector } from '../../core/types.js';
import { wrapDuckdbError } from './errors.js';

/**
 * Parts of a stage DuckDB cannot read in place (S3, Azure Blob, …), copied one at a time into a
 * private work folder: the load fetches a part, inserts it and deletes it before the next, so the
 * disk holds one part at a time whatever the size of the table.
 */
export type PartFetcher = {
  readonly parts: readonly LoadFile[];
  /** Copies a part into the work folder; the caller deletes the file (see `release`). */
  fetch(part: LoadFile, signal: AbortSignal): Promise<string>;
  release(localFile: string): Promise<void>;
  /** Where the part lives, for messages. */
  describe(part: LoadFile): string;
};

/**
 * Names the part in a failed fetch. The stage's own errors keep their class and code
 * (STAGE_ERROR, CONNECTION_FAILED, …); a stream broken mid-transfer is a transient LOAD_ERROR.
 */
function fetchFailure(thrown: unknown, action: string): Error {
  if (thrown instanceof TerminalError || thrown instanceof TransientError) {
    const Kind = thrown instanceof TerminalError ? TerminalError : TransientError;
    return new Kind(thrown.code, `${action} failed: ${thrown.message}`, { cause: thrown });
  }
  return wrapDuckdbError(thrown, action);
}

/** The file name a fetched part keeps: its extension tells DuckDB how to read it (`.csv.gz`). */
function fetchedName(relPath: string): string {
  return path.posix.basename(relPath);
}

export function stageFetcher(stage: StageConnector, parts: readonly LoadFile[], folder: string): PartFetcher {
  return {
    parts,
    async fetch(part, signal) {
      const local = path.join(folder, fetchedName(part.relPath));
      try {
        await pipeline(await stage.read(part.relPath, { signal }), createWriteStream(local), { signal });
      } catch (err) {
        await rm(local, { force: true });
        throw fetchFailure(err, `fetching ${stage.describe(part.relPath)} for DuckDB`);
      }
      return local;
    },
    release: (localFile) => rm(localFile, { force: true }),
    describe: (part) => stage.describe(part.relPath),
  };
}

/**
 * Runs `use` with a fresh folder of its own inside `parent`, removed afterwards whatever happened,
 * so neither a failure nor a cancel leaves a fetched part behind.
 */
export async function inFetchFolder<T>(parent: string, use: (folder: string) => Promise<T>): Promise<T> {
  await mkdir(parent, { recursive: true });
  const folder = await mkdtemp(path.join(parent, 'duckdb-parts-'));
  try {
    return await use(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
