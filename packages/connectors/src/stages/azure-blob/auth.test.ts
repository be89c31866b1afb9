import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { createLogger } from '@dxa/logger';
import { startAzurite, type AzuriteFixture } from '@dxa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunContext } from '../../core/types.js';
import { createAzureBlobStage } from './azure-blob-stage.js';
import type { AzureBlobStageConfig } from './client.js';

const CONTAINER = 'dxa-blob-auth-test';
const ctx: RunContext = { signal: new AbortController().signal };
const logger = createLogger('azure-blob-auth-test');
/** A valid base64 key that is not the account's. */
const WRONG_KEY = Buffer.from('not the azurite key, but 64 bytes long enough to look like one!!').toString(
  'base64',
);

let azurite: AzuriteFixture;
let sharedKey: StorageSharedKeyCredential;

function base(overrides: Partial<AzureBlobStageConfig>): AzureBlobStageConfig {
  return {
    type: 'azure_blob',
    container_name: CONTAINER,
    prefix: 'auth',
    use_default_credential: false,
    ...overrides,
  };
}

function accountSas(permissions: string): string {
  return generateAccountSASQueryParameters(
    {
      services: AccountSASServices.parse('b').toString(),
      resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      permissions: AccountSASPermissions.parse(permissions),
      expiresOn: new Date(Date.now() + 60 * 60 * 1000),
    },
    sharedKey,
  ).toString();
}

function containerSas(permissions: string, containerName = CONTAINER): string {
  return generateBlobSASQueryParameters(
    {
      containerName,
      permissions: ContainerSASPermissions.parse(permissions),
      expiresOn: new Date(Date.now() + 60 * 60 * 1000),
    },
    sharedKey,
  ).toString();
}

/** Writes, reads, lists and removes one blob; proves a credential mode works end to end. */
async function roundTrip(conn: AzureBlobStageConfig, name: string): Promise<void> {
  const stage = createAzureBlobStage(conn, logger);
  await stage.check(ctx);
  await stage.putText(`${name}/probe.txt`, name, ctx);
  expect(await stage.getText(`${name}/probe.txt`, ctx)).toBe(name);
  expect(await stage.list(`${name}/`, ctx)).toEqual([{ path: `${name}/probe.txt`, bytes: name.length }]);
  await stage.remove(`${name}/`, ctx);
  expect(await stage.list(`${name}/`, ctx)).toEqual([]);
  await stage.close();
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const err: unknown = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  return err as Error;
}

beforeAll(async () => {
  azurite = await startAzurite();
  await azurite.createContainer(CONTAINER);
  sharedKey = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
});

afterAll(async () => {
  await azurite?.stop();
});

describe('azure blob stage credentials', () => {
  it('works with a connection string', async () => {
    await roundTrip(base({ connection_string: azurite.connectionString }), 'conn-string');
  });

  it('works with account_name and account_key against an explicit endpoint', async () => {
    const conn = base({
      account_name: azurite.accountName,
      account_key: azurite.accountKey,
      endpoint: `${azurite.blobEndpoint}/`,
    });
    await roundTrip(conn, 'account-key');
  });

  it('works with account_name and an account SAS, with or without the leading "?"', async () => {
    const sas = accountSas('rwdlac');
    const conn = { account_name: azurite.accountName, endpoint: azurite.blobEndpoint };
    await roundTrip(base({ ...conn, sas_token: sas }), 'account-sas');
    await roundTrip(base({ ...conn, sas_token: `?${sas}` }), 'account-sas-q');
  });

  it('works with a container-scoped SAS, which may list but not read container properties', async () => {
    const sas = containerSas('rwdl');
    const conn = base({ account_name: azurite.accountName, endpoint: azurite.blobEndpoint, sas_token: sas });
    await roundTrip(conn, 'container-sas');
    // Why check() lists instead of reading the container's properties.
    const direct = new ContainerClient(`${azurite.blobEndpoint}/${CONTAINER}?${sas}`);
    await expect(direct.getProperties()).rejects.toMatchObject({ statusCode: 403 });
  });

  it('fails terminal on a wrong account key, without the key in the message', async () => {
    const byKey = createAzureBlobStage(
      base({ account_name: azurite.accountName, account_key: WRONG_KEY, endpoint: azurite.blobEndpoint }),
      logger,
    );
    const connString = azurite.connectionString.replace(azurite.accountKey, WRONG_KEY);
    const byString = createAzureBlobStage(base({ connection_string: connString }), logger);
    for (const err of [
      await failure(byKey.putText('x.txt', 'x', ctx)),
      await failure(byString.check(ctx)),
      await failure(byString.getText('x.txt', ctx)),
    ]) {
      expect(err).toMatchObject({ name: 'TerminalError', code: 'STAGE_ERROR' });
      expect(err.message).toContain(`azure://devstoreaccount1/${CONTAINER}/auth`);
      expect(err.message).toContain('HTTP 403');
      for (const secret of [WRONG_KEY, connString]) {
        expect(err.message).not.toContain(secret);
        expect(JSON.stringify(err)).not.toContain(secret);
      }
    }
  });

  it('fails terminal on a SAS that does not grant the operation, without the signature in the message', async () => {
    const sas = containerSas('rl');
    const stage = createAzureBlobStage(
      base({ account_name: azurite.accountName, endpoint: azurite.blobEndpoint, sas_token: sas }),
      logger,
    );
    const err = await failure(stage.putText('x.txt', 'x', ctx));
    expect(err).toMatchObject({ name: 'TerminalError', code: 'STAGE_ERROR' });
    const sig = new URLSearchParams(sas).get('sig')!;
    for (const secret of [sas, sig, encodeURIComponent(sig)]) expect(err.message).not.toContain(secret);
  });

  it('says that a missing container does not exist', async () => {
    const stage = createAzureBlobStage(
      base({ container_name: 'no-such-container', connection_string: azurite.connectionString }),
      logger,
    );
    const err = await failure(stage.check(ctx));
    expect(err).toMatchObject({ name: 'TerminalError', code: 'STAGE_ERROR' });
    expect(err.message).toContain('container "no-such-container" does not exist');
    await expect(stage.putText('a', 'x', ctx)).rejects.toMatchObject({ name: 'TerminalError' });
  });

  it('fails transient when the endpoint does not answer', async () => {
    const stage = createAzureBlobStage(
      base({
        account_name: azurite.accountName,
        account_key: azurite.accountKey,
        endpoint: 'http://127.0.0.1:1/x',
      }),
      logger,
    );
    await expect(stage.check(ctx)).rejects.toMatchObject({ name: 'TransientError', code: 'STAGE_ERROR' });
  });

  it.each([
    [{}, 'no credentials'],
    [{ account_name: 'acc' }, 'account_name "acc" has no credential'],
    // A storage integration lets Snowflake read the container, not dxa write to it.
    [{ account_name: 'acc', storage_integration: 'AZ_INT' }, 'account_name "acc" has no credential'],
  ])('refuses a config without a usable credential (%j)', (overrides, why) => {
    expect(() => createAzureBlobStage(base(overrides), logger)).toThrow(
      expect.objectContaining({
        name: 'TerminalError',
        code: 'CONFIG_ERROR',
        message: expect.stringContaining(why) as unknown,
      }),
    );
    expect(() => createAzureBlobStage(base(overrides), logger)).toThrow(
      /connection_string, or account_name with one of account_key, sas_token or use_default_credential/,
    );
  });

  it('refuses an endpoint next to a connection string, and a malformed connection string without echoing it', () => {
    expect(() =>
      createAzureBlobStage(
        base({ connection_string: azurite.connectionString, endpoint: 'http://h/x' }),
        logger,
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_ERROR',
        message: expect.stringContaining('BlobEndpoint') as unknown,
      }),
    );
    const bad = 'AccountKey=c2VjcmV0;garbage';
    const err = (() => {
      try {
        createAzureBlobStage(base({ connection_string: bad }), logger);
      } catch (e) {
        return e as Error;
      }
      return new Error('no error');
    })();
    expect(err).toMatchObject({ name: 'TerminalError', code: 'CONFIG_ERROR' });
    expect(err.message).not.toContain('c2VjcmV0');
  });
});

describe('azure blob stage external location', () => {
  it('signs a read+list container SAS from the account key that a reader can use', async () => {
    const stage = createAzureBlobStage(
      base({
        connection_string: azurite.connectionString,
        prefix: '/ext//root/',
        storage_integration: 'AZ_INT',
      }),
      logger,
    );
    await stage.putText('t/file.csv', 'a,b\n', ctx);
    const location = stage.externalLocation!();
    expect(location).toMatchObject({
      kind: 'azure_blob',
      url: `azure://devstoreaccount1.blob.core.windows.net/${CONTAINER}/ext/root/`,
      endpoint: azurite.blobEndpoint,
      storageIntegration: 'AZ_INT',
    });
    if (location.kind !== 'azure_blob') throw new Error('wrong kind');
    expect(location.sasToken).toMatch(/^sv=.*sp=rl.*&sig=/);
    const reader = new ContainerClient(`${location.endpoint}/${CONTAINER}?${location.sasToken}`);
    const names: string[] = [];
    for await (const b of reader.listBlobsFlat({ prefix: 'ext/root/' })) names.push(b.name);
    expect(names).toEqual(['ext/root/t/file.csv']);
    await expect(reader.getBlockBlobClient('ext/root/other').upload('x', 1)).rejects.toMatchObject({
      statusCode: 403,
    });
    await stage.close();
  });

  it('hands on a configured SAS, and none for DefaultAzureCredential', () => {
    const sas = containerSas('rl');
    const bySas = createAzureBlobStage(
      base({ account_name: 'acct', sas_token: `?${sas}`, prefix: '' }),
      logger,
    ).externalLocation!();
    expect(bySas).toEqual({
      kind: 'azure_blob',
      url: `azure://acct.blob.core.windows.net/${CONTAINER}/`,
      endpoint: 'https://acct.blob.core.windows.net',
      storageIntegration: undefined,
      sasToken: sas,
    });
    // Built without touching the network: the identity library loads on the first token request.
    const byIdentity = createAzureBlobStage(
      base({ account_name: 'acct', use_default_credential: true, storage_integration: 'AZ_INT' }),
      logger,
    );
    expect(byIdentity.externalLocation!()).toMatchObject({
      sasToken: undefined,
      storageIntegration: 'AZ_INT',
    });
    expect(byIdentity.describe('a/b.csv')).toBe(`azure://acct/${CONTAINER}/auth/a/b.csv`);
  });
});
