import { ContainerSASPermissions, SASProtocol, generateBlobSASQueryParameters } from '@azure/storage-blob';
import type { ExternalLocation } from '../../core/types.js';
import type { AzureBlobClient } from './client.js';

/** How long a generated SAS lasts: long enough for any one load, short enough to be worthless later. */
const SAS_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Starts a little in the past so a warehouse whose clock runs behind ours can use it at once. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A read+list SAS for the whole container, signed with the account key. */
function containerSas(client: AzureBlobClient, containerName: string): string | undefined {
  if (client.sharedKey === undefined) return undefined;
  const now = Date.now();
  return generateBlobSASQueryParameters(
    {
      containerName,
      permissions: ContainerSASPermissions.parse('rl'),
      startsOn: new Date(now - CLOCK_SKEW_MS),
      expiresOn: new Date(now + SAS_LIFETIME_MS),
      protocol: client.endpoint.startsWith('https:') ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
    },
    client.sharedKey,
  ).toString();
}

/**
 * The stage root as Snowflake addresses it. The SAS is the configured one, or one generated from
 * the account key; with DefaultAzureCredential there is none and the warehouse needs a storage
 * integration.
 */
export function azureExternalLocation(
  client: AzureBlobClient,
  containerName: string,
  keyPrefix: string,
  storageIntegration: string | undefined,
): ExternalLocation {
  const root = keyPrefix === '' ? '' : `${keyPrefix}/`;
  return {
    kind: 'azure_blob',
    url: `azure://${client.accountName}.blob.core.windows.net/${containerName}/${root}`,
    endpoint: client.endpoint,
    storageIntegration,
    sasToken: client.sasToken ?? containerSas(client, containerName),
  };
}
