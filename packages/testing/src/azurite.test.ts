import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type AzuriteFixture } from './azurite.js';

let azurite: AzuriteFixture;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

describe('azurite fixture', () => {
  it('serves the well-known account on a free loopback port and creates containers idempotently', async () => {
    expect(azurite.blobEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    expect(azurite.connectionString).toContain(`BlobEndpoint=${azurite.blobEndpoint};`);
    await azurite.createContainer('fixture-probe');
    await azurite.createContainer('fixture-probe');
    expect(await azurite.containerExists('fixture-probe')).toBe(true);
    expect(await azurite.containerExists('never-created')).toBe(false);
  });

  it('stops the server', async () => {
    const other = await startAzurite();
    await other.stop();
    await expect(fetch(other.blobEndpoint)).rejects.toThrow();
  });
});
