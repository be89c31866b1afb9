import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3StageConfig } from './description.js';

export type { S3StageConfig };

/**
 * Builds the client. Explicit keys win; else a named profile is read by the SDK's shared-ini
 * loader (the `profile` option); else the SDK's default chain (env, ini, SSO, container, IMDS).
 */
export function createS3Client(conn: S3StageConfig): S3Client {
  const config: S3ClientConfig = {
    region: conn.region,
    forcePathStyle: conn.force_path_style,
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  };
  if (conn.endpoint !== undefined) {
    config.endpoint = conn.endpoint;
    // S3-compatible stores often lack the flexible (CRC32, aws-chunked) checksums the SDK sends by default.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  if (conn.access_key_id !== undefined && conn.secret_access_key !== undefined) {
    config.credentials = { accessKeyId: conn.access_key_id, secretAccessKey: conn.secret_access_key };
  } else if (conn.profile_name !== undefined) {
    config.profile = conn.profile_name;
  }
  return new S3Client(config);
}
