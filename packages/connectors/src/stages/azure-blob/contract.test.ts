import { randomBytes } from 'node:crypto';
import { createLogger } from '@dxa/logger';
import { startAzurite } from '@dxa/testing';
import { describeStageContract, joinStagePath } from '../../contract/stage.contract.js';
import { createAzureBlobStage } from './azure-blob-stage.js';

const CONTAINER = 'dxa-blob-contract';
const logger = createLogger('azure-blob-stage-contract');
describeStageContract('azure_blob', async () => {
  const azurite = await startAzurite();
  await azurite.createContainer(CONTAINER);
  const open = (root: string, connectionString = azurite.connectionString) =>
    createAzureBlobStage(
      {
        type: 'azure_blob',
        container_name: CONTAINER,
        prefix: root,
        connection_string: connectionString,
        use_default_credential: false,
      },
      logger,
    );
  const wrongKey = randomBytes(64).toString('base64');
  return {
    open: (root) => open(root),
    local: false,
    location: (root, relPath) =>
      `azure://${azurite.accountName}/${CONTAINER}/${joinStagePath(root, relPath)}`,
    external: (root) => ({
      kind: 'azure_blob',
      url: `azure://${azurite.accountName}.blob.core.windows.net/${CONTAINER}/${joinStagePath(root, '')}/`,
    }),
    secrets: [azurite.accountKey],
    rejected: () => ({
      stage: open('r', azurite.connectionString.replace(azurite.accountKey, wrongKey)),
      secrets: [wrongKey],
    }),
    cleanup: () => azurite.stop(),
  };
});
