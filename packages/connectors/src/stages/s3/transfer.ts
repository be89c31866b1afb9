import { createReadStream } from 'node:fs';
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { TransientError } from '@dxa/errors';

/** lib-storage buffers at most queueSize × partSize bytes (4 × 5 MiB here). */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 4;
/** DeleteObjects takes at most this many keys per call. */
export const DELETE_BATCH = 1000;

/** Streams a file up (multipart above one part); aborting the signal aborts the upload. */
export async function uploadFile(
  client: S3Client,
  bucket: string,
  key: string,
  localFile: string,
  signal: AbortSignal,
): Promise<void> {
  const body = createReadStream(localFile);
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: body },
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
    leavePartsOnError: false,
  });
  const onAbort = () => {
    void upload.abort();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal.aborted) onAbort();
    await upload.done();
  } finally {
    signal.removeEventListener('abort', onAbort);
    body.destroy();
  }
}

export type ListedObject = { key: string; bytes: number };

/** Every object under the key prefix, one ListObjectsV2 page at a time. */
export async function* listPages(
  client: S3Client,
  bucket: string,
  prefix: string,
  signal: AbortSignal,
): AsyncGenerator<ListedObject[]> {
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      { abortSignal: signal },
    );
    yield (page.Contents ?? []).flatMap((o) =>
      o.Key === undefined ? [] : [{ key: o.Key, bytes: o.Size ?? 0 }],
    );
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

/** Deletes the keys in batches of DELETE_BATCH; any per-key failure fails the call. */
export async function deleteKeys(
  client: S3Client,
  bucket: string,
  keys: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    const batch = keys.slice(i, i + DELETE_BATCH);
    const out = await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
      { abortSignal: signal },
    );
    const failed = out.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0];
      throw new TransientError(
        'STAGE_ERROR',
        `s3 stage: could not delete ${failed.length} object(s) from ${bucket}, first ${first?.Key ?? '?'}: ${first?.Code ?? ''} ${first?.Message ?? ''}`.trim(),
      );
    }
  }
}
