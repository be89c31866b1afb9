import type { StageConnector } from '@dxa/connectors';
import type { PartitionFile } from '@dxa/contracts';
import type { WrittenFile } from '@dxa/files';

/**
 * Moves the finished parts into the stage, in order, as `<prefix><namePrefix><part name>`, and
 * returns the names a manifest lists (relative to the prefix).
 */
export async function stageParts(
  stage: StageConnector,
  signal: AbortSignal,
  prefix: string,
  files: WrittenFile[],
  namePrefix = '',
): Promise<PartitionFile[]> {
  const staged: PartitionFile[] = [];
  for (const file of files) {
    const name = `${namePrefix}${file.name}`;
    await stage.put(file.localPath, `${prefix}${name}`, { signal });
    staged.push({ name, rows: file.rows, bytes: file.bytes, sha256: file.sha256 });
  }
  return staged;
}
