import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

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
