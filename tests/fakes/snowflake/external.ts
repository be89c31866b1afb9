import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { AnonymousCredential, ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { stageAccessFailed, unsupported } from './errors.js';
import { joinKey, type AzureLocation, type S3Location } from './stage-paths.js';
import type { ResolvedOptions } from './state.js';
import { md5OfFile, type StageStore, type StagedFile } from './stored-files.js';

/** The location's prefix as a folder, so relative paths can be cut from object keys. */
function basePrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

function scratchFile(scratchDir: string, rel: string): string {
  return path.join(scratchDir, rel.replace(/[/\\]/g, '__'));
}

type CloudError = {
  name?: string;
  code?: string;
  statusCode?: number;
  $metadata?: { httpStatusCode?: number };
};

function statusOf(err: unknown): number | undefined {
  const e = err as CloudError;
  return e.$metadata?.httpStatusCode ?? e.statusCode;
}

/** Snowflake-shaped stage failure naming only the storage error (never credentials). */
function accessFailed(err: unknown): Error {
  const e = err as CloudError;
  const name = e.code ?? e.name ?? 'Error';
  return stageAccessFailed(`${name} (Status Code: ${statusOf(err) ?? 'none'}; Error Code: ${name})`);
}

export function s3Store(location: S3Location, options: ResolvedOptions): StageStore {
  const endpoint = options.s3Endpoint;
  if (endpoint === undefined)
    throw unsupported('an s3:// stage when the fake was started without s3Endpoint');
  const base = basePrefix(location.prefix);
  const withClient = async <T>(work: (client: S3Client) => Promise<T>): Promise<T> => {
    const client = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: location.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 1,
    });
    try {
      return await work(client);
    } finally {
      client.destroy();
    }
  };
  return {
    list: (prefix) =>
      withClient(async (client) => {
        const files: StagedFile[] = [];
        let token: string | undefined;
        do {
          let page: ListObjectsV2CommandOutput;
          try {
            page = await client.send(
              new ListObjectsV2Command({
                Bucket: location.bucket,
                Prefix: joinKey(base, prefix),
                ContinuationToken: token,
              }),
            );
          } catch (err) {
            throw accessFailed(err);
          }
          for (const object of page.Contents ?? []) {
            const key = object.Key ?? '';
            files.push({
              rel: key.slice(base.length),
              size: object.Size ?? 0,
              md5: (object.ETag ?? '').replace(/"/g, ''),
              lastModified: object.LastModified ?? new Date(0),
            });
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token !== undefined);
        return files;
      }),
    remove: (rel) =>
      withClient(async (client) => {
        await client
          .send(new DeleteObjectCommand({ Bucket: location.bucket, Key: joinKey(base, rel) }))
          .catch((err: unknown) => {
            throw accessFailed(err);
          });
      }),
    fetch: (rel, scratchDir) =>
      withClient(async (client) => {
        let body: unknown;
        try {
          const object = await client.send(
            new GetObjectCommand({ Bucket: location.bucket, Key: joinKey(base, rel) }),
          );
          body = object.Body;
        } catch (err) {
          const e = err as CloudError;
          if (e.name === 'NoSuchKey' || statusOf(err) === 404) return undefined;
          throw accessFailed(err);
        }
        if (!(body instanceof Readable)) throw stageAccessFailed('S3 returned no body');
        await mkdir(scratchDir, { recursive: true });
        const file = scratchFile(scratchDir, rel);
        await pipeline(body, createWriteStream(file));
        return { file, md5: await md5OfFile(file) };
      }),
  };
}

function containerClient(location: AzureLocation, options: ResolvedOptions): ContainerClient {
  const endpoint = options.azureBlobEndpoint;
  if (endpoint === undefined)
    throw unsupported('an azure:// stage when the fake was started without azureBlobEndpoint');
  const url = `${endpoint.replace(/\/+$/, '')}/${location.account}/${location.container}`;
  // No keep-alive: idle pooled sockets would hold azurite's graceful shutdown open.
  const pipelineOptions = { retryOptions: { maxTries: 1 }, keepAliveOptions: { enable: false } };
  if ('sasToken' in location.auth)
    return new ContainerClient(
      `${url}?${location.auth.sasToken.replace(/^\?/, '')}`,
      new AnonymousCredential(),
      pipelineOptions,
    );
  const credential = new StorageSharedKeyCredential(location.auth.accountName, location.auth.accountKey);
  return new ContainerClient(url, credential, pipelineOptions);
}

export function azureStore(location: AzureLocation, options: ResolvedOptions): StageStore {
  const container = containerClient(location, options);
  const base = basePrefix(location.prefix);
  return {
    async list(prefix) {
      const files: StagedFile[] = [];
      try {
        for await (const blob of container.listBlobsFlat({ prefix: joinKey(base, prefix) })) {
          const md5 = blob.properties.contentMD5;
          files.push({
            rel: blob.name.slice(base.length),
            size: blob.properties.contentLength ?? 0,
            md5: md5 ? Buffer.from(md5).toString('hex') : (blob.properties.etag ?? '').replace(/"/g, ''),
            lastModified: blob.properties.lastModified,
          });
        }
      } catch (err) {
        throw accessFailed(err);
      }
      return files;
    },
    async remove(rel) {
      await container.deleteBlob(joinKey(base, rel)).catch((err: unknown) => {
        throw accessFailed(err);
      });
    },
    async fetch(rel, scratchDir) {
      await mkdir(scratchDir, { recursive: true });
      const file = scratchFile(scratchDir, rel);
      try {
        await container.getBlobClient(joinKey(base, rel)).downloadToFile(file);
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw accessFailed(err);
      }
      return { file, md5: await md5OfFile(file) };
    },
  };
}
