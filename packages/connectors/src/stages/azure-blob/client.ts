import {
  AnonymousCredential,
  BlobServiceClient,
  StorageSharedKeyCredential,
  type ContainerClient,
  type StoragePipelineOptions,
} from '@azure/storage-blob';
import type { TokenCredential } from '@azure/identity';
import type { AzureBlobStageConfig } from './description.js';
import { TerminalError } from '@dxa/errors';

export type { AzureBlobStageConfig };

/** The container client plus what the stage needs to name, describe and share its location. */
export type AzureBlobClient = {
  container: ContainerClient;
  accountName: string;
  /** Blob service URL without query or trailing slash, e.g. `https://acc.blob.core.windows.net`. */
  endpoint: string;
  /** Present when an account key is known: lets the stage sign SAS tokens for a warehouse. */
  sharedKey: StorageSharedKeyCredential | undefined;
  /** The configured SAS (without `?`), from `sas_token` or a connection string's SharedAccessSignature. */
  sasToken: string | undefined;
  /** Credential values to scrub from any message. */
  secrets: string[];
};

const OPTIONS: StoragePipelineOptions = {
  // The job itself retries with backoff; a few quick tries here ride out a blip without stalling a part.
  retryOptions: { maxTries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 10_000 },
  userAgentOptions: { userAgentPrefix: 'dxa' },
};

const EXPECTED_AUTH =
  'set connection_string, or account_name with one of account_key, sas_token or use_default_credential = true';

/**
 * Loads @azure/identity (and MSAL) only when a token is first needed: most workers never use it, and
 * it adds a noticeable start-up cost.
 */
function lazyDefaultCredential(): TokenCredential {
  let inner: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      inner ??= import('@azure/identity').then((m) => new m.DefaultAzureCredential());
      return (await inner).getToken(scopes, options);
    },
  };
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  return parsed.toString().replace(/\/+$/, '');
}

/** The AccountKey field: scrubbed on its own too, in case a message quotes only part of the string. */
function accountKeyOf(connectionString: string): string | undefined {
  return /(?:^|;)\s*AccountKey=([^;]+)/i.exec(connectionString)?.[1]?.trim();
}

function fromConnectionString(conn: AzureBlobStageConfig, connectionString: string): AzureBlobClient {
  if (conn.endpoint !== undefined) {
    throw new TerminalError(
      'CONFIG_ERROR',
      'azure_blob stage: endpoint applies to account_name auth; a connection string names its own BlobEndpoint',
    );
  }
  let service: BlobServiceClient;
  try {
    service = BlobServiceClient.fromConnectionString(connectionString, OPTIONS);
  } catch {
    // The SDK's message may quote the string itself.
    throw new TerminalError(
      'CONFIG_ERROR',
      'azure_blob stage: connection_string is not a valid Azure Storage connection string',
    );
  }
  const sharedKey = service.credential instanceof StorageSharedKeyCredential ? service.credential : undefined;
  const query = new URL(service.url).search.replace(/^\?/, '');
  return {
    container: service.getContainerClient(conn.container_name),
    accountName: service.accountName,
    endpoint: withoutQuery(service.url),
    sharedKey,
    sasToken: sharedKey === undefined && query !== '' ? query : undefined,
    secrets: [connectionString, accountKeyOf(connectionString) ?? '', query],
  };
}

/** Builds the container client from the first usable auth combination, or fails naming the keys expected. */
export function createAzureBlobClient(conn: AzureBlobStageConfig): AzureBlobClient {
  if (conn.connection_string !== undefined) return fromConnectionString(conn, conn.connection_string);
  const account = conn.account_name;
  if (account === undefined || account === '') {
    throw new TerminalError('CONFIG_ERROR', `azure_blob stage: no credentials; ${EXPECTED_AUTH}`);
  }
  const endpoint = (conn.endpoint ?? `https://${account}.blob.core.windows.net`).replace(/\/+$/, '');
  const base = { accountName: account, endpoint };
  if (conn.account_key !== undefined) {
    const sharedKey = new StorageSharedKeyCredential(account, conn.account_key);
    const service = new BlobServiceClient(endpoint, sharedKey, OPTIONS);
    return {
      ...base,
      container: service.getContainerClient(conn.container_name),
      sharedKey,
      sasToken: undefined,
      secrets: [conn.account_key],
    };
  }
  if (conn.sas_token !== undefined) {
    const sas = conn.sas_token.replace(/^\?/, '');
    const service = new BlobServiceClient(`${endpoint}?${sas}`, new AnonymousCredential(), OPTIONS);
    return {
      ...base,
      container: service.getContainerClient(conn.container_name),
      sharedKey: undefined,
      sasToken: sas,
      secrets: [sas],
    };
  }
  if (conn.use_default_credential) {
    const service = new BlobServiceClient(endpoint, lazyDefaultCredential(), OPTIONS);
    return {
      ...base,
      container: service.getContainerClient(conn.container_name),
      sharedKey: undefined,
      sasToken: undefined,
      secrets: [],
    };
  }
  throw new TerminalError(
    'CONFIG_ERROR',
    `azure_blob stage: account_name "${account}" has no credential; ${EXPECTED_AUTH}`,
  );
}
