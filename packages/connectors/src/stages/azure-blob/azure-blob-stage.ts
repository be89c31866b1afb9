import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { text as readText } from 'node:stream/consumers';
import { CancelledError, TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { RunContext, StageConnector, StagedObject } from '../../core/types.js';
import { keyMapper, normalisePrefix } from '../s3/keys.js';
import { createAzureBlobClient, type AzureBlobStageConfig } from './client.js';
import { wrapAzureError } from './errors.js';
import { azureExternalLocation } from './location.js';
import { BLOCK_SIZE, deleteBlobs, listPages, md5File, uploadFile } from './transfer.js';

function throwIfAborted(ctx: RunContext): void {
  if (!ctx.signal.aborted) return;
  const reason: unknown = ctx.signal.reason;
  throw reason instanceof Error && reason.name !== 'AbortError' ? reason : new CancelledError();
}

/** Passes the bytes on; a failure mid-stream reaches the reader wrapped, like every other call's. */
function wrapStreamErrors(body: Readable, wrap: (err: unknown) => Error): Readable {
  const out = new PassThrough();
  body.on('error', (err) => out.destroy(wrap(err)));
  // A reader that stops early closes the download too.
  out.on('close', () => body.destroy());
  return body.pipe(out);
}

function isMissingBlob(err: unknown): boolean {
  return (err as { code?: unknown } | undefined)?.code === 'BlobNotFound';
}

export function createAzureBlobStage(conn: AzureBlobStageConfig, logger: Logger): StageConnector {
  const client = createAzureBlobClient(conn);
  const { container, accountName, secrets } = client;
  const containerName = conn.container_name;
  const keys = keyMapper(conn.prefix);
  const log = logger.child({ connector: 'azure-blob-stage', account: accountName, container: containerName });
  const url = (key: string) => `azure://${accountName}/${containerName}/${key}`;

  /**
   * Runs one SDK call, wrapping its failure exactly once. The call gets its own signal, tied to the
   * job's by one listener: the SDK adds a listener per request, and a call may run many in parallel.
   */
  async function call<T>(
    operation: string,
    key: string,
    ctx: RunContext,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    throwIfAborted(ctx);
    const scoped = new AbortController();
    setMaxListeners(64, scoped.signal);
    const forward = () => scoped.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', forward, { once: true });
    try {
      return await fn(scoped.signal);
    } catch (err) {
      throw wrapAzureError(
        err,
        { operation, location: url(key), container: containerName },
        ctx.signal,
        secrets,
      );
    } finally {
      ctx.signal.removeEventListener('abort', forward);
    }
  }

  /** Size, and the service's MD5 when it computed one (single-request uploads). */
  async function verify(key: string, localFile: string, expected: number, ctx: RunContext): Promise<number> {
    const props = await call('verify', key, ctx, (abortSignal) =>
      container.getBlockBlobClient(key).getProperties({ abortSignal }),
    );
    const actual = props.contentLength;
    if (actual !== expected) {
      throw new TerminalError(
        'INTEGRITY_ERROR',
        `azure_blob stage: ${url(key)} has ${actual ?? 'unknown'} bytes after upload, expected ${expected}`,
      );
    }
    if (props.contentMD5 !== undefined && expected <= BLOCK_SIZE) {
      const local = await md5File(localFile);
      if (!local.equals(Buffer.from(props.contentMD5))) {
        throw new TerminalError(
          'INTEGRITY_ERROR',
          `azure_blob stage: ${url(key)} has a different MD5 after upload`,
        );
      }
    }
    return actual;
  }

  return {
    kind: 'azure_blob',

    async check(ctx) {
      // A one-item listing, not container properties: a container-scoped SAS may list but never read those.
      await call('check container', keys.listPrefix(''), ctx, async (abortSignal) => {
        const pages = container.listBlobsFlat({ prefix: keys.listPrefix(''), abortSignal });
        await pages.byPage({ maxPageSize: 1 }).next();
      });
    },

    async put(localFile, relPath, ctx) {
      const key = keys.key(relPath);
      throwIfAborted(ctx);
      const expected = (await stat(localFile)).size;
      await call('upload', key, ctx, (signal) =>
        uploadFile(container.getBlockBlobClient(key), localFile, signal),
      );
      const actual = await verify(key, localFile, expected, ctx);
      log.debug('staged file', { blob: key, bytes: actual });
      return { path: keys.relative(key), bytes: actual };
    },

    async putText(relPath, text, ctx) {
      const key = keys.key(relPath);
      const body = Buffer.from(text, 'utf8');
      // A single Put Blob is atomic: readers see the old blob or the new one.
      await call('put', key, ctx, (abortSignal) =>
        container.getBlockBlobClient(key).upload(body, body.length, { abortSignal }),
      );
      return { path: keys.relative(key), bytes: body.length };
    },

    async getText(relPath, ctx) {
      const key = keys.key(relPath);
      return call('get', key, ctx, async (abortSignal) => {
        try {
          const out = await container.getBlobClient(key).download(0, undefined, { abortSignal });
          return out.readableStreamBody === undefined ? '' : await readText(out.readableStreamBody);
        } catch (err) {
          if (isMissingBlob(err)) return undefined;
          throw err;
        }
      });
    },

    async read(relPath, ctx) {
      const key = keys.key(relPath);
      // maxRetryRequests: a body that ends early resumes from the last byte received. A reset connection
      // still fails the read (the SDK reports it as an abort) and the job retries. The stream outlives
      // the call, so it listens to the job's signal itself.
      const out = await call('read', key, ctx, () =>
        container.getBlobClient(key).download(0, undefined, { abortSignal: ctx.signal, maxRetryRequests: 5 }),
      );
      if (!(out.readableStreamBody instanceof Readable)) {
        throw new TerminalError(
          'STAGE_ERROR',
          `azure_blob stage: ${url(key)} did not return a readable stream`,
        );
      }
      const target = { operation: 'read', location: url(key), container: containerName };
      return wrapStreamErrors(out.readableStreamBody, (err) =>
        wrapAzureError(err, target, ctx.signal, secrets),
      );
    },

    async list(prefix, ctx) {
      const keyPrefix = keys.listPrefix(prefix);
      const found: StagedObject[] = [];
      await call('list', keyPrefix, ctx, async (signal) => {
        for await (const page of listPages(container, keyPrefix, signal)) {
          for (const b of page) found.push({ path: keys.relative(b.name), bytes: b.bytes });
        }
      });
      return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },

    async remove(prefix, ctx) {
      const keyPrefix = keys.listPrefix(prefix);
      // One listing page of names at a time; memory stays bounded.
      await call('remove', keyPrefix, ctx, async (signal) => {
        for await (const page of listPages(container, keyPrefix, signal)) {
          await deleteBlobs(
            container,
            page.map((b) => b.name),
            signal,
          );
        }
      });
    },

    localPath: () => undefined,
    describe: (relPath) => url(keys.key(relPath)),
    externalLocation: () =>
      azureExternalLocation(client, containerName, normalisePrefix(conn.prefix), conn.storage_integration),
    // Azure SDK clients have no close method.
    close: () => Promise.resolve(),
  };
}
