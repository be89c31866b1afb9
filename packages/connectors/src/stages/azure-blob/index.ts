export { createAzureBlobStage } from './azure-blob-stage.js';
export type { AzureBlobStageConfig } from './client.js';
