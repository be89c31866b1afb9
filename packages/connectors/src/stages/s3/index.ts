export { createS3Stage } from './s3-stage.js';
export type { S3StageConfig } from './client.js';
