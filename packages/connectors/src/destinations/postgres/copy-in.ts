import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { LoadFile, RunContext, StageConnector } from '../../core/types.js';

/** Opens a staged CSV part: in place when the stage is a local folder, else through the stage. */
export async function openPart(file: LoadFile, stage: StageConnector, ctx: RunContext): Promise<Readable> {
  const local = file.localPath ?? stage.localPath(file.relPath);
  return local === undefined ? stage.read(file.relPath, ctx) : createReadStream(local);
}

/**
 * Streams one CSV file (gunzipped when it ends in `.gz`) through `COPY … FROM STDIN` and returns
 * the rows the server reports. Destroying the pipeline on abort makes pg-copy-streams send
 * CopyFail; the caller also cancels the backend, which covers a COPY still waiting for a lock.
 */
export async function copyIn(
  client: PoolClient,
  sql: string,
  input: Readable,
  gzipped: boolean,
  signal: AbortSignal,
): Promise<number> {
  const copy = client.query(copyFrom(sql, { highWaterMark: 1 << 20 }));
  const stages = gzipped ? [input, createGunzip(), copy] : [input, copy];
  await pipeline(stages, { signal });
  return copy.rowCount;
}
