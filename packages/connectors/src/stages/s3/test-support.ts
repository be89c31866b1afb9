// Test helper: s3 stage settings for the s3rver fixture (not exported).
import type { S3rverFixture } from '@dxa/testing';
import type { S3StageConfig } from './client.js';

/** A stage on `bucket` of s3rver, path-style, with its credentials; `overrides` win. */
export function s3rverStageConfig(
  s3: S3rverFixture,
  bucket: string,
  overrides: Partial<S3StageConfig> = {},
): S3StageConfig {
  return {
    type: 's3',
    bucket_name: bucket,
    prefix: '',
    region: 'us-east-1',
    endpoint: s3.endpoint,
    force_path_style: true,
    access_key_id: s3.accessKeyId,
    secret_access_key: s3.secretAccessKey,
    ...overrides,
  };
}
