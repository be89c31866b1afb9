import { z } from 'zod';
import { portField, secret } from '@dxa/contracts';
import { describeTarget } from '../../core/describe.js';

export const SnowflakeTarget = z.strictObject({
  type: z.literal('snowflake'),
  connection_name: z.string().optional(),
  account: z.string().optional(),
  user: z.string().optional(),
  password: secret().optional(),
  authenticator: z.string().optional(),
  private_key_path: z.string().optional(),
  private_key_passphrase: secret().optional(),
  token_file_path: z.string().optional(),
  warehouse: z.string().optional(),
  database: z.string().optional(),
  schema: z.string().optional(),
  role: z.string().optional(),
  host: z.string().optional(),
  port: portField.optional(),
  protocol: z.enum(['http', 'https']).optional(),
  access_url: z.string().optional(),
});
export type SnowflakeTargetConfig = z.infer<typeof SnowflakeTarget>;

export const snowflakeTarget = describeTarget({
  role: 'target',
  kind: 'snowflake',
  title: 'Snowflake',
  config: SnowflakeTarget,
  // COPY reads a Snowflake stage in place, cloud stages through a temporary external stage, local files after PUT.
  capabilities: {
    formats: ['parquet', 'csv'],
    stages: ['local', 's3', 'azure_blob', 'snowflake_stage'],
    transactional: true,
  },
  load: async () => {
    const { createSnowflakeDestination } = await import('./destination.js');
    return (connection, deps) => createSnowflakeDestination(connection, deps.logger);
  },
});
