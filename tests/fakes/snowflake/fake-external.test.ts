import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ContainerClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { startAzurite, startS3rver, type AzuriteFixture, type S3rverFixture } from '@dxa/testing';
import type { Connection } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeFake, type SnowflakeFake } from './index.js';
import {
  connect,
  destroy,
  exec,
  execError,
  PASSWORD,
  scratchDir,
  writeWithDuckdb,
  type Scratch,
} from './test-support.js';

let s3: S3rverFixture;
let azurite: AzuriteFixture;
let fake: SnowflakeFake;
let scratch: Scratch;
let conn: Connection;
let sas: string;

const PARQUET = `FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE BINARY_AS_TEXT = FALSE)
  MATCH_BY_COLUMN_NAME = CASE_SENSITIVE ON_ERROR = ABORT_STATEMENT`;

beforeAll(async () => {
  scratch = await scratchDir();
  s3 = await startS3rver();
  azurite = await startAzurite();
  const file = path.join(scratch.dir, 'part-0001.parquet');
  await writeWithDuckdb(file, `SELECT range AS "N", 'x' || range AS "Label" FROM range(5)`, 'parquet');
  const body = await readFile(file);

  await s3.bucket('landing');
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  await client.send(
    new PutObjectCommand({ Bucket: 'landing', Key: 'exports/run1/part-0001.parquet', Body: body }),
  );
  client.destroy();

  await azurite.createContainer('landing');
  const key = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
  await new ContainerClient(`${azurite.blobEndpoint}/landing`, key, { keepAliveOptions: { enable: false } })
    .getBlockBlobClient('exports/run1/part-0001.parquet')
    .uploadData(body);
  sas = generateBlobSASQueryParameters(
    {
      containerName: 'landing',
      permissions: ContainerSASPermissions.parse('rl'),
      expiresOn: new Date(Date.now() + 3_600_000),
    },
    key,
  ).toString();

  fake = await startSnowflakeFake({
    users: { loader: { password: PASSWORD } },
    s3Endpoint: s3.endpoint,
    azureBlobEndpoint: azurite.blobEndpoint.replace(/\/[^/]+$/, ''),
    storageIntegrations: ['DXA_INT'],
    s3Credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  conn = await connect(fake);
  await exec(conn, 'CREATE TABLE "EXT_T" ("N" NUMBER(38,0) NOT NULL, "Label" VARCHAR)');
});

afterAll(async () => {
  await destroy(conn);
  await fake.close();
  await s3.stop();
  await azurite.stop();
  await scratch.cleanup();
});

const copyFrom = (stage: string) =>
  `COPY INTO "EXT_T" FROM @"${stage}"/run1/ FILES = ('part-0001.parquet') ${PARQUET}`;

describe('external S3 stage (s3rver)', () => {
  it('loads with the stage credentials and lists by URL', async () => {
    await exec(
      conn,
      `CREATE TEMPORARY STAGE IF NOT EXISTS "S3_OK" URL = 's3://landing/exports/'
         CREDENTIALS = (AWS_KEY_ID = 'S3RVER' AWS_SECRET_KEY = 'S3RVER')`,
    );
    expect(await exec(conn, copyFrom('S3_OK'))).toEqual([
      expect.objectContaining({
        file: 's3://landing/exports/run1/part-0001.parquet',
        status: 'LOADED',
        rows_loaded: 5,
      }),
    ]);
    const listed = await exec(conn, 'LIST @"S3_OK"/run1/');
    expect(listed.map((r) => r.name)).toEqual(['s3://landing/exports/run1/part-0001.parquet']);
  });

  // s3rver checks the access key id but not SigV4 signatures, so the wrong key is the key id.
  it('fails the COPY with wrong credentials, without echoing them', async () => {
    await exec(
      conn,
      `CREATE TEMPORARY STAGE IF NOT EXISTS "S3_BAD" URL = 's3://landing/exports/'
         CREDENTIALS = (AWS_KEY_ID = 'AKIAWRONGKEY' AWS_SECRET_KEY = 'not-the-secret')`,
    );
    const err = await execError(conn, copyFrom('S3_BAD'));
    expect(err).toMatchObject({ code: '091003' });
    expect(err.message).toMatch(/^Failure using stage area\. Cause: \[InvalidAccessKeyId/);
    expect(err.message).not.toMatch(/AKIAWRONGKEY|not-the-secret/);
  });

  it('accepts a known storage integration only', async () => {
    await exec(
      conn,
      `CREATE TEMPORARY STAGE "S3_INT" URL = 's3://landing/exports/' STORAGE_INTEGRATION = "DXA_INT"`,
    );
    expect(await exec(conn, copyFrom('S3_INT').replace('ON_ERROR', 'FORCE = TRUE ON_ERROR'))).toHaveLength(1);
    const err = await execError(
      conn,
      `CREATE TEMPORARY STAGE "S3_X" URL = 's3://landing/x/' STORAGE_INTEGRATION = "OTHER"`,
    );
    expect(err).toMatchObject({ code: '002003' });
  });
});

describe('external Azure stage (azurite)', () => {
  it('loads with the SAS token and fails with a wrong one', async () => {
    const url = `azure://${azurite.accountName}.blob.core.windows.net/landing/exports/`;
    await exec(
      conn,
      `CREATE TEMPORARY STAGE "AZ_OK" URL = '${url}' CREDENTIALS = (AZURE_SAS_TOKEN = '${sas}')`,
    );
    expect(await exec(conn, copyFrom('AZ_OK'))).toEqual([
      expect.objectContaining({ file: `${url}run1/part-0001.parquet`, rows_loaded: 5 }),
    ]);
    const forged = sas.replace(/sig=[^&]+/, 'sig=AAAA');
    await exec(
      conn,
      `CREATE TEMPORARY STAGE "AZ_BAD" URL = '${url}' CREDENTIALS = (AZURE_SAS_TOKEN = '${forged}')`,
    );
    const err = await execError(conn, copyFrom('AZ_BAD'));
    expect(err).toMatchObject({ code: '091003' });
    expect(await exec(conn, 'SELECT COUNT(*) FROM "EXT_T"')).toEqual([{ 'COUNT(*)': 15 }]);
  });
});
