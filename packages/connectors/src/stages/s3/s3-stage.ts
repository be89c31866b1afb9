import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CancelledError, TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { RunContext, StageConnector, StagedObject } from '../../core/types.js';
import { createS3Client, type S3StageConfig } from './client.js';
import { wrapS3Error } from './errors.js';
import { keyMapper } from './keys.js';
import { deleteKeys, listPages, uploadFile } from './transfer.js';

function throwIfAborted(ctx: RunContext): void {
  if (!ctx.signal.aborted) return;
  const reason: unknown = ctx.signal.reason;
  throw reason instanceof Error && reason.name !== 'AbortError' ? reason : new CancelledError();
}

function isMissing(err: unknown): boolean {
  const name = (err as { name?: unknown } | undefined)?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

export function createS3Stage(conn: S3StageConfig, logger: Logger): StageConnector {
  if ((conn.access_key_id === undefined) !== (conn.secret_access_key === undefined)) {
    throw new TerminalError(
      'CONFIG_ERROR',
      's3 stage: set both access_key_id and secret_access_key, or neither',
    );
  }
  const bucket = conn.bucket_name;
  const client = createS3Client(conn);
  const keys = keyMapper(conn.prefix);
  const secrets = [conn.secret_access_key ?? ''];
  const log = logger.child({ connector: 's3-stage', bucket });
  const url = (key: string) => `s3://${bucket}/${key}`;

  /** Runs one SDK call, wrapping its failure exactly once. */
  async function call<T>(operation: string, key: string, ctx: RunContext, fn: () => Promise<T>): Promise<T> {
    throwIfAborted(ctx);
    try {
      return await fn();
    } catch (err) {
      throw wrapS3Error(err, { operation, location: url(key) }, ctx.signal, secrets);
    }
  }

  async function headSize(key: string, ctx: RunContext): Promise<number | undefined> {
    const out = await call('verify', key, ctx, () =>
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: ctx.signal }),
    );
    return out.ContentLength;
  }

  return {
    kind: 's3',

    async check(ctx) {
      await call('check bucket', '', ctx, () =>
        client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: ctx.signal }),
      );
    },

    async put(localFile, relPath, ctx) {
      const key = keys.key(relPath);
      throwIfAborted(ctx);
      const expected = (await stat(localFile)).size;
      await call('upload', key, ctx, () => uploadFile(client, bucket, key, localFile, ctx.signal));
      const actual = await headSize(key, ctx);
      if (actual !== expected) {
        throw new TerminalError(
          'INTEGRITY_ERROR',
          `s3 stage: ${url(key)} has ${actual ?? 'unknown'} bytes after upload, expected ${expected}`,
        );
      }
      log.debug('staged file', { object: key, bytes: actual });
      return { path: keys.relative(key), bytes: actual };
    },

    async putText(relPath, text, ctx) {
      const key = keys.key(relPath);
      const body = Buffer.from(text, 'utf8');
      // A single PutObject is atomic: readers see the old object or the new one.
      await call('put', key, ctx, () =>
        client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length }),
          { abortSignal: ctx.signal },
        ),
      );
      return { path: keys.relative(key), bytes: body.length };
    },

    async getText(relPath, ctx) {
      const key = keys.key(relPath);
      return call('get', key, ctx, async () => {
        try {
          const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
            abortSignal: ctx.signal,
          });
          return out.Body === undefined ? '' : await out.Body.transformToString('utf8');
        } catch (err) {
          if (isMissing(err)) return undefined;
          throw err;
        }
      });
    },

    async read(relPath, ctx) {
      const key = keys.key(relPath);
      const out = await call('read', key, ctx, () =>
        client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: ctx.signal }),
      );
      if (!(out.Body instanceof Readable)) {
        throw new TerminalError('STAGE_ERROR', `s3 stage: ${url(key)} did not return a readable stream`);
      }
      return out.Body;
    },

    async list(prefix, ctx) {
      const keyPrefix = keys.listPrefix(prefix);
      const found: StagedObject[] = [];
      const pages = listPages(client, bucket, keyPrefix, ctx.signal);
      await call('list', keyPrefix, ctx, async () => {
        for await (const page of pages) {
          for (const o of page) found.push({ path: keys.relative(o.key), bytes: o.bytes });
        }
      });
      return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },

    async remove(prefix, ctx) {
      const keyPrefix = keys.listPrefix(prefix);
      // Each page holds at most 1000 keys, one DeleteObjects batch; memory stays bounded.
      await call('remove', keyPrefix, ctx, async () => {
        for await (const page of listPages(client, bucket, keyPrefix, ctx.signal)) {
          if (page.length > 0)
            await deleteKeys(
              client,
              bucket,
              page.map((o) => o.key),
              ctx.signal,
            );
        }
      });
    },

    localPath: () => undefined,
    describe: (relPath) => url(keys.key(relPath)),
    externalLocation: () => ({
      kind: 's3',
      url: `s3://${bucket}/${keys.listPrefix('')}`,
      endpoint: conn.endpoint,
      region: conn.region,
      storageIntegration: conn.storage_integration,
      credentials:
        conn.access_key_id !== undefined && conn.secret_access_key !== undefined
          ? { accessKeyId: conn.access_key_id, secretAccessKey: conn.secret_access_key }
          : undefined,
    }),
    close: () => {
      client.destroy();
      return Promise.resolve();
    },
  };
}
