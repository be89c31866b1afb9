import { createHash, randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { createLogger } from '@dxa/logger';
import { startAzurite, type AzuriteFixture } from '@dxa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunContext } from '../../core/types.js';
import { ConnectionsSchema } from '../../catalog.js';
import { createStage, loadConnectorModules } from '../../registry.js';
import { createAzureBlobStage } from './azure-blob-stage.js';
import type { AzureBlobStageConfig } from './client.js';

const CONTAINER = 'dxa-blob-stage-test';
const MiB = 1024 * 1024;
const ctx: RunContext = { signal: new AbortController().signal };
const logger = createLogger('azure-blob-stage-test');

let azurite: AzuriteFixture;
let raw: ContainerClient;
let dir: string;

function config(overrides: Partial<AzureBlobStageConfig> = {}): AzureBlobStageConfig {
  return {
    type: 'azure_blob',
    container_name: CONTAINER,
    prefix: '/exports//run1/',
    connection_string: azurite.connectionString,
    use_default_credential: false,
    ...overrides,
  };
}

/** Writes `bytes` random bytes in 1 MiB chunks and returns the file and its sha256. */
async function randomFile(name: string, bytes: number): Promise<{ file: string; sha256: string }> {
  const file = path.join(dir, name);
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  for (let left = bytes; left > 0; left -= MiB) {
    const chunk = randomBytes(Math.min(MiB, left));
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return { file, sha256: hash.digest('hex') };
}

async function rawNames(prefix = ''): Promise<string[]> {
  const names: string[] = [];
  for await (const b of raw.listBlobsFlat({ prefix })) names.push(b.name);
  return names.sort();
}

beforeAll(async () => {
  azurite = await startAzurite();
  await azurite.createContainer(CONTAINER);
  raw = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CONTAINER);
  dir = await mkdtemp(path.join(tmpdir(), 'dxa-blob-stage-'));
});

afterAll(async () => {
  await azurite?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// Round trips, listing, removal, paths, locations and credentials: contract.test.ts.
describe('azure blob stage against azurite', () => {
  it('uploads a multi-block file under the configured prefix and verifies its size', async () => {
    const tap = await azurite.tap();
    const conn = config({
      connection_string: azurite.connectionString.replace(azurite.blobEndpoint, tap.blobEndpoint),
    });
    const stage = createAzureBlobStage(conn, logger);
    const { file, sha256 } = await randomFile('big.bin', 12 * MiB + 123);
    const requests: string[] = [];
    const unsubscribe = tap.onRequest((method, url) => requests.push(`${method} ${url}`));
    const staged = await stage.put(file, 'orders/part-00001.bin', ctx);
    unsubscribe();
    expect(staged).toEqual({ path: 'orders/part-00001.bin', bytes: 12 * MiB + 123 });
    // Two 8 MiB blocks and one commit: the block path ran.
    expect(requests.filter((r) => r.startsWith('PUT') && r.includes('comp=block&')).length).toBe(2);
    expect(requests.filter((r) => r.startsWith('PUT') && r.includes('comp=blocklist')).length).toBe(1);
    const props = await raw.getBlobClient('exports/run1/orders/part-00001.bin').getProperties();
    expect(props.contentLength).toBe(12 * MiB + 123);
    const back = createHash('sha256');
    for await (const chunk of await stage.read('orders/part-00001.bin', ctx)) back.update(chunk as Buffer);
    expect(back.digest('hex')).toBe(sha256);
    await stage.close();
    await tap.stop();
  });

  it('uploads a small file in one request', async () => {
    const stage = createAzureBlobStage(config({ prefix: 'small' }), logger);
    const file = path.join(dir, 'small.csv');
    await writeFile(file, 'id\n1\n');
    expect(await stage.put(file, '//a//b.csv', ctx)).toEqual({ path: 'a/b.csv', bytes: 5 });
    expect(await rawNames('small/')).toEqual(['small/a/b.csv']);
    // One Put Blob: the service computed an MD5, which put() compared with the file's.
    const md5 = createHash('md5').update('id\n1\n').digest();
    expect(Buffer.from((await raw.getBlobClient('small/a/b.csv').getProperties()).contentMD5 ?? [])).toEqual(
      md5,
    );
    expect(await text(await stage.read('a/b.csv', ctx))).toBe('id\n1\n');
    await stage.close();
  });

  it('removes many blobs', async () => {
    const stage = createAzureBlobStage(config({ prefix: 'many' }), logger);
    const names = Array.from({ length: 120 }, (_, i) => `x/${String(i).padStart(5, '0')}`);
    // 120 calls in parallel on one signal: one listener each.
    const shared = new AbortController();
    setMaxListeners(200, shared.signal);
    await Promise.all(names.map((n) => stage.putText(n, 'v', { signal: shared.signal })));
    expect((await stage.list('x/', ctx)).length).toBe(120);
    await stage.remove('x/', ctx);
    expect(await rawNames('many/')).toEqual([]);
    await stage.close();
  });

  it('hands a reader a wrapped, transient error when the connection drops mid-download', async () => {
    const tap = await azurite.tap();
    const conn = config({
      prefix: 'drop',
      connection_string: azurite.connectionString.replace(azurite.blobEndpoint, tap.blobEndpoint),
    });
    const stage = createAzureBlobStage(conn, logger);
    const { file } = await randomFile('drop.bin', 40 * MiB);
    await stage.put(file, 'big.bin', ctx);
    const chunks = (await stage.read('big.bin', ctx))[Symbol.asyncIterator]();
    await chunks.next();
    // Drops the open download and refuses the SDK's attempts to resume it.
    await tap.stop();
    const err: unknown = await (async () => {
      while (!(await chunks.next()).done);
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TransientError', code: 'STAGE_ERROR' });
    expect((err as Error).message).toContain(`azure://devstoreaccount1/${CONTAINER}/drop/big.bin`);
    await stage.close();
  });

  it('names the blob and the service error when reading a missing one', async () => {
    const stage = createAzureBlobStage(config(), logger);
    const err: unknown = await stage.read('nope/data.csv', ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TerminalError', code: 'STAGE_ERROR' });
    expect((err as Error).message).toContain('BlobNotFound');
    expect((err as Error).message).toContain(
      `azure://devstoreaccount1/${CONTAINER}/exports/run1/nope/data.csv`,
    );
    await stage.close();
  });

  it('rejects with a cancel when aborted during an upload and leaves no blob', async () => {
    const tap = await azurite.tap();
    const conn = config({
      prefix: 'aborted',
      connection_string: azurite.connectionString.replace(azurite.blobEndpoint, tap.blobEndpoint),
    });
    const stage = createAzureBlobStage(conn, logger);
    const { file } = await randomFile('abort.bin', 40 * MiB);
    const controller = new AbortController();
    const unsubscribe = tap.onRequest((method, url) => {
      if (method === 'PUT' && url.includes('comp=block&')) controller.abort();
    });
    try {
      await expect(stage.put(file, 'p/part-1.bin', { signal: controller.signal })).rejects.toMatchObject({
        name: 'CancelledError',
      });
    } finally {
      unsubscribe();
      await tap.stop();
    }
    expect(controller.signal.aborted).toBe(true);
    expect(await rawNames('aborted/')).toEqual([]);
    await stage.close();
  });

  it('is built by the registry from a parsed config with an explicit endpoint', async () => {
    const parsed = { connections: ConnectionsSchema.parse({
        stage: {
          lake: {
            type: 'azure_blob',
            container_name: CONTAINER,
            prefix: 'reg',
            account_name: azurite.accountName,
            account_key: azurite.accountKey,
            endpoint: azurite.blobEndpoint,
          },
        },
      }) };
    await loadConnectorModules(parsed);
    const stage = createStage(parsed, 'lake', logger);
    expect(stage.kind).toBe('azure_blob');
    await stage.putText('probe.txt', 'ok', ctx);
    expect(await rawNames('reg/')).toEqual(['reg/probe.txt']);
    await stage.close();
  });
});
