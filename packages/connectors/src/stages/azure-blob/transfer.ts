import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';

/** Block size, and the largest file sent in one Put Blob; at most BLOCK_SIZE × CONCURRENCY bytes in flight. */
export const BLOCK_SIZE = 8 * 1024 * 1024;
const CONCURRENCY = 4;
/** One listing page; its names are all that is held in memory at once. */
const PAGE_SIZE = 5000;
/** Deletes in flight during remove. */
const DELETE_CONCURRENCY = 16;

/**
 * Streams a file up: one Put Blob up to BLOCK_SIZE, else staged blocks read from file ranges (so a
 * retried block re-reads its range) and one commit. Every request carries the abort signal, and
 * staged blocks that were never committed are invisible and expire on their own.
 */
export async function uploadFile(
  blob: BlockBlobClient,
  localFile: string,
  signal: AbortSignal,
): Promise<void> {
  await blob.uploadFile(localFile, {
    blockSize: BLOCK_SIZE,
    maxSingleShotSize: BLOCK_SIZE,
    concurrency: CONCURRENCY,
    abortSignal: signal,
  });
}

/** MD5 of a file, streamed; compared with the one the service computes for single-request uploads. */
export async function md5File(localFile: string): Promise<Buffer> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(localFile)) hash.update(chunk as Buffer);
  return hash.digest();
}

export type ListedBlob = { name: string; bytes: number };

/** Every blob under the name prefix, one listing page at a time. */
export async function* listPages(
  container: ContainerClient,
  prefix: string,
  signal: AbortSignal,
): AsyncGenerator<ListedBlob[]> {
  const pages = container.listBlobsFlat({ prefix, abortSignal: signal }).byPage({ maxPageSize: PAGE_SIZE });
  for await (const page of pages) {
    yield page.segment.blobItems.map((b) => ({ name: b.name, bytes: b.properties.contentLength ?? 0 }));
  }
}

/** Runs `fn` over the items with at most `limit` calls in flight; the first failure fails the call. */
async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Deletes the named blobs (and their snapshots) one request each, a bounded number at a time; a blob
 * already gone is fine.
 */
export async function deleteBlobs(
  container: ContainerClient,
  names: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  await forEachLimit(names, DELETE_CONCURRENCY, async (name) => {
    await container
      .deleteBlob(name, { deleteSnapshots: 'include', abortSignal: signal })
      .catch((err: unknown) => {
        if ((err as { code?: unknown }).code !== 'BlobNotFound') throw err;
      });
  });
}
