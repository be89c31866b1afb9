import { resolve } from 'node:path';
import { MANIFEST_NAME } from '@dxa/files';

/** `<stage path>/<jobId>/`, relative, single slashes: every attempt of a job writes to the same folder. */
export function stagePrefixFor(stagePath: string | undefined, jobId: string): string {
  const parts = [...(stagePath ?? '').split('/'), jobId].filter((p) => p.length > 0 && p !== '.');
  return `${parts.join('/')}/`;
}

export function manifestPathFor(prefix: string): string {
  return `${prefix}${MANIFEST_NAME}`;
}

/** The job's private scratch folder under the configured work dir. */
export function workDirFor(workDir: string, jobId: string): string {
  return resolve(workDir, jobId);
}
