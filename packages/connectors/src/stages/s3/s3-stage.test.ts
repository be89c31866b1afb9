import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createLogger } from '@dxa/logger';
import { startS3rver, type S3rverFixture } from '@dxa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunContext } from '../../core/types.js';
import { ConnectionsSchema } from '../../catalog.js';
import { createStage, loadConnectorModules } from '../../registry.js';
import { createS3Stage } from './s3-stage.js';
import type { S3StageConfig } from './client.js';
import { s3rverStageConfig } from './test-support.js';

// The SDK must never probe cloud metadata; every client below gets a loopback endpoint.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const BUCKET = 'dxa-s3-stage-test';
const MiB = 1024 * 1024;
const ctx: RunContext = { signal: new AbortController().signal };
const logger = createLogger('s3-stage-test');

let s3: S3rverFixture;
let raw: S3Client;
let dir: string;

function config(overrides: Partial<S3StageConfig> = {}): S3StageConfig {
  return s3rverStageConfig(s3, BUCKET, { prefix: '/exports//run1/', ...overrides });
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

async function rawKeys(prefix = ''): Promise<string[]> {
  const out = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
}

beforeAll(async () => {
  s3 = await startS3rver();
  await s3.bucket(BUCKET);
  raw = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  dir = await mkdtemp(path.join(tmpdir(), 'dxa-s3-stage-'));
});

afterAll(async () => {
  raw.destroy();
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
});

// Round trips, listing, removal, paths, locations and credentials: contract.test.ts.
describe('s3 stage against s3rver', () => {
  it('uploads a multi-part file under the configured prefix and verifies its size', async () => {
    const stage = createS3Stage(config(), logger);
    const { file, sha256 } = await randomFile('big.bin', 11 * MiB + 123);
    const requests: string[] = [];
    const unsubscribe = s3.onRequest((method, url) => requests.push(`${method} ${url}`));
    const staged = await stage.put(file, 'orders/part-00001.bin', ctx);
    unsubscribe();
    expect(staged).toEqual({ path: 'orders/part-00001.bin', bytes: 11 * MiB + 123 });
    // Three 5 MiB parts: the multipart path ran.
    expect(requests.filter((r) => r.startsWith('PUT') && r.includes('partNumber=')).length).toBe(3);
    const head = await raw.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'exports/run1/orders/part-00001.bin' }),
    );
    expect(head.ContentLength).toBe(11 * MiB + 123);
    const back = createHash('sha256');
    for await (const chunk of await stage.read('orders/part-00001.bin', ctx)) back.update(chunk as Buffer);
    expect(back.digest('hex')).toBe(sha256);
    await stage.close();
  });

  it('uploads a small file in one request', async () => {
    const stage = createS3Stage(config({ prefix: 'small' }), logger);
    const file = path.join(dir, 'small.csv');
    await writeFile(file, 'id\n1\n');
    expect(await stage.put(file, '//a//b.csv', ctx)).toEqual({ path: 'a/b.csv', bytes: 5 });
    expect(await rawKeys('small/')).toEqual(['small/a/b.csv']);
    expect(await readFile(file, 'utf8')).toBe('id\n1\n');
    await stage.close();
  });

  it('removes more than one DeleteObjects batch', async () => {
    const stage = createS3Stage(config({ prefix: 'many' }), logger);
    const names = Array.from({ length: 1005 }, (_, i) => `x/${String(i).padStart(5, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((n) => stage.putText(n, 'v', ctx)));
    }
    expect((await stage.list('x/', ctx)).length).toBe(1005);
    // Answered batches: s3rver's own empty-folder cleanup races and may fail one with a 500 that the SDK retries.
    const deleted: number[] = [];
    const unsubscribe = s3.onRequest(
      () => undefined,
      (method, url, status) => {
        if (method === 'POST' && url.includes('delete') && status === 200) deleted.push(status);
      },
    );
    await stage.remove('x/', ctx);
    unsubscribe();
    expect(deleted.length).toBe(2);
    expect(await rawKeys('many/')).toEqual([]);
    await stage.close();
  });

  it('turns rejected credentials into a terminal error that names the object and the cause', async () => {
    // s3rver checks the access key id but not SigV4 signatures, so both are wrong here.
    const secret = 'wrong-secret-Zq81xPv0';
    const stage = createS3Stage(config({ access_key_id: 'NOT-A-KEY', secret_access_key: secret }), logger);
    const err: unknown = await stage.putText('r/x.txt', 'x', ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TerminalError', code: 'STAGE_ERROR' });
    const message = (err as Error).message;
    expect(message).toContain(`s3://${BUCKET}/exports/run1/r/x.txt`);
    expect(message).toContain('InvalidAccessKeyId');
    await expect(stage.check(ctx)).rejects.toMatchObject({ name: 'TerminalError', code: 'STAGE_ERROR' });
    await stage.close();
  });

  it('turns a missing bucket into a terminal error', async () => {
    const stage = createS3Stage(config({ bucket_name: 'no-such-bucket' }), logger);
    await expect(stage.putText('a', 'x', ctx)).rejects.toMatchObject({
      name: 'TerminalError',
      code: 'STAGE_ERROR',
    });
    await stage.close();
  });

  it('turns an unreachable endpoint into a transient error', async () => {
    const stage = createS3Stage(config({ endpoint: 'http://127.0.0.1:1' }), logger);
    await expect(stage.check(ctx)).rejects.toMatchObject({ name: 'TransientError', code: 'STAGE_ERROR' });
    await expect(stage.getText('a', ctx)).rejects.toMatchObject({ name: 'TransientError' });
    await stage.close();
  });

  it('rejects with a cancel when aborted during an upload and leaves no object', async () => {
    const stage = createS3Stage(config({ prefix: 'aborted' }), logger);
    const { file } = await randomFile('abort.bin', 24 * MiB);
    const controller = new AbortController();
    const unsubscribe = s3.onRequest((method, url) => {
      if (method === 'PUT' && url.includes('partNumber=')) controller.abort();
    });
    try {
      await expect(stage.put(file, 'p/part-1.bin', { signal: controller.signal })).rejects.toMatchObject({
        name: 'CancelledError',
      });
    } finally {
      unsubscribe();
    }
    expect(controller.signal.aborted).toBe(true);
    expect(await rawKeys('aborted/')).toEqual([]);
    await stage.close();
  });

  it('is built by the registry from a parsed config', async () => {
    const parsed = {
      connections: ConnectionsSchema.parse({ stage: { lake: { ...config({ prefix: 'reg' }) } } }),
    };
    await loadConnectorModules(parsed);
    const stage = createStage(parsed, 'lake', logger);
    expect(stage.kind).toBe('s3');
    await stage.putText('probe.txt', 'ok', ctx);
    expect(await rawKeys('reg/')).toEqual(['reg/probe.txt']);
    await stage.close();
  });
});
