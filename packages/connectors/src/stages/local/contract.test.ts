import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@dxa/logger';
import { describeStageContract } from '../../contract/stage.contract.js';
import { createLocalStage } from './local-stage.js';

const logger = createLogger('local-stage-contract');

describeStageContract('local', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dxa-local-contract-'));
  return {
    open: (root) => createLocalStage({ type: 'local', path: path.join(dir, root) }, logger),
    local: true,
    location: (root, relPath) => path.join(dir, root, relPath),
    secrets: [],
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
