import { createLogger } from '@dxa/logger';
import { startS3rver } from '@dxa/testing';
import { describeStageContract, joinStagePath } from '../../contract/stage.contract.js';
import type { S3StageConfig } from './client.js';
import { createS3Stage } from './s3-stage.js';
import { s3rverStageConfig } from './test-support.js';

// The SDK must never probe cloud metadata; every client below gets a loopback endpoint.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const BUCKET = 'dxa-s3-contract';
const logger = createLogger('s3-stage-contract');
describeStageContract('s3', async () => {
  const s3 = await startS3rver();
  await s3.bucket(BUCKET);
  const config = (root: string, overrides: Partial<S3StageConfig> = {}) =>
    s3rverStageConfig(s3, BUCKET, { prefix: root, ...overrides });
  return {
    open: (root) => createS3Stage(config(root), logger),
    local: false,
    location: (root, relPath) => `s3://${BUCKET}/${joinStagePath(root, relPath)}`,
    external: (root) => ({ kind: 's3', url: `s3://${BUCKET}/${joinStagePath(root, '')}/` }),
    secrets: [s3.secretAccessKey],
    // s3rver checks the access key id but not SigV4 signatures, so both are wrong here.
    rejected: () => ({
      stage: createS3Stage(
        config('r', { access_key_id: 'NOT-A-KEY', secret_access_key: 'wrong-secret-Zq81xPv0' }),
        logger,
      ),
      secrets: ['wrong-secret-Zq81xPv0'],
    }),
    cleanup: () => s3.stop(),
  };
});
