import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

type ListResult = { objects: { key: string }[]; isTruncated: boolean };
type Store = {
  putBucket(name: string): Promise<unknown>;
  listObjects(bucket: string, options: unknown): Promise<ListResult>;
};
type KoaContext = {
  method: string;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
};
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

/** The slice of s3rver 3.7 (a CommonJS Koa app without types) that the fixture uses. */
type S3rverInstance = {
  run(): Promise<AddressInfo>;
  httpServer: Server;
  close(): Promise<void>;
  store: Store;
  middleware: Middleware[];
};
type S3rverOptions = { port: number; address: string; silent: boolean; directory: string };
type S3rverConstructor = new (options: S3rverOptions) => S3rverInstance;

export type S3rverFixture = {
  /** `http://127.0.0.1:<port>`; pass it as the stage endpoint with path-style addressing. */
  endpoint: string;
  accessKeyId: 'S3RVER';
  secretAccessKey: 'S3RVER';
  /**
   * Calls `listener` with each request's method and URL as it arrives, and `onResponse` with its
   * status once answered (the URL as s3rver saw it). Returns an unsubscribe.
   */
  onRequest(
    listener: (method: string, url: string) => void,
    onResponse?: (method: string, url: string, status: number) => void,
  ): () => void;
  /** Creates a bucket (idempotent). */
  bucket(name: string): Promise<void>;
  stop(): Promise<void>;
};

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

type Page = { nextAfter?: string };

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 18+) refuses,
 * so any truncated listing fails with a 500. This swaps in plain tokens (the base64url of the last
 * key) and runs the listing with `start-after` instead; the client sees ordinary V2 paging.
 */
function patchListPaging(server: S3rverInstance): void {
  const pages = new AsyncLocalStorage<Page>();
  const list = server.store.listObjects.bind(server.store);
  server.store.listObjects = async (bucket, options) => {
    const result = await list(bucket, options);
    const page = pages.getStore();
    if (!page || !result.isTruncated) return result;
    page.nextAfter = result.objects.at(-1)?.key;
    return { ...result, isTruncated: false };
  };
  const paging: Middleware = async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.query['list-type'] !== '2') return next();
    const token = ctx.query['continuation-token'];
    if (typeof token === 'string' && token !== '') {
      const { ['continuation-token']: _, ...rest } = ctx.query;
      ctx.query = { ...rest, 'start-after': Buffer.from(token, 'base64url').toString('utf8') };
    }
    const page: Page = {};
    await pages.run(page, next);
    const body = ctx.body as { ListBucketResult?: Record<string, unknown> } | undefined;
    if (page.nextAfter === undefined || !body?.ListBucketResult) return;
    body.ListBucketResult.IsTruncated = true;
    body.ListBucketResult.NextContinuationToken = Buffer.from(page.nextAfter, 'utf8').toString('base64url');
  };
  // Just before the router: after the XML encoder has wrapped it, so the body is still an object here.
  server.middleware.splice(server.middleware.length - 1, 0, paging);
}

/** Starts an in-process fake S3 on a free loopback port, storing objects in a temporary folder. */
export async function startS3rver(): Promise<S3rverFixture> {
  const directory = await mkdtemp(path.join(tmpdir(), 'dxa-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  patchListPaging(server);
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (err) {
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    onRequest(listener, onResponse) {
      const handler = (req: IncomingMessage, res: ServerResponse) => {
        listener(req.method ?? '', req.url ?? '');
        if (onResponse) res.once('finish', () => onResponse(req.method ?? '', req.url ?? '', res.statusCode));
      };
      server.httpServer.on('request', handler);
      return () => server.httpServer.off('request', handler);
    },
    async bucket(name) {
      await server.store.putBucket(name);
    },
    async stop() {
      try {
        const closing = server.close();
        // Clients keep sockets alive; close them so shutdown does not wait for their idle timeout.
        server.httpServer.closeAllConnections();
        await closing;
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}
