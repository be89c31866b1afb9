import { z } from 'zod';
import { booleanField, secret } from '@dxa/contracts';
import { describeStage } from '../../core/describe.js';

export const AzureBlobStage = z.strictObject({
  type: z.literal('azure_blob'),
  container_name: z.string().min(1),
  prefix: z.string().default(''),
  connection_string: secret().optional(),
  account_name: z.string().optional(),
  account_key: secret().optional(),
  sas_token: secret().optional(),
  use_default_credential: booleanField.default(false),
  /** Blob service URL for account_name auth (Azurite, sovereign clouds); default https://<account_name>.blob.core.windows.net. */
  endpoint: z.string().url().optional(),
  /** Snowflake storage integration used when a Snowflake target reads this stage as an external stage. */
  storage_integration: z.string().optional(),
});
export type AzureBlobStageConfig = z.infer<typeof AzureBlobStage>;

export const azureBlobStage = describeStage({
  role: 'stage',
  kind: 'azure_blob',
  title: 'Azure Blob',
  config: AzureBlobStage,
  capabilities: { remote: true },
  load: async () => {
    const { createAzureBlobStage } = await import('./azure-blob-stage.js');
    return (connection, deps) => createAzureBlobStage(connection, deps.logger);
  },
});
