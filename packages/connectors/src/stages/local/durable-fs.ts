import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

/** Suffix of files being written; they are not staged objects until renamed. */
export const TMP_SUFFIX = '.tmp';

/** Copies across filesystems: write `<dest>.tmp`, fsync, then rename into place. */
export async function copyDurably(from: string, to: string, signal: AbortSignal): Promise<void> {
  const tmp = to + TMP_SUFFIX;
  try {
    await pipeline(createReadStream(from), createWriteStream(tmp), { signal });
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, to);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Writes a small file atomically: readers see the old content or the new, never half. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = file + TMP_SUFFIX;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
