import { z } from 'zod';
import { booleanField, secret } from '@dxa/contracts';
import { describeStage } from '../../core/describe.js';

export const S3Stage = z.strictObject({
  type: z.literal('s3'),
  bucket_name: z.string().min(1),
  prefix: z.string().default(''),
  region: z.string().default('us-east-1'),
  endpoint: z.string().url().optional(),
  force_path_style: booleanField.default(false),
  profile_name: z.string().optional(),
  access_key_id: secret().optional(),
  secret_access_key: secret().optional(),
  /** Snowflake storage integration used when a Snowflake target reads this stage as an external stage. */
  storage_integration: z.string().optional(),
});
export type S3StageConfig = z.infer<typeof S3Stage>;

export const s3Stage = describeStage({
  role: 'stage',
  kind: 's3',
  title: 'S3',
  config: S3Stage,
  capabilities: { remote: true },
  load: async () => {
    const { createS3Stage } = await import('./s3-stage.js');
    return (connection, deps) => createS3Stage(connection, deps.logger);
  },
});
