import { z } from 'zod';
import { describeStage } from '../../core/describe.js';

export const LocalStage = z.strictObject({
  type: z.literal('local'),
  path: z.string().min(1).default('./.dxa/stage'),
});
export type LocalStage = z.infer<typeof LocalStage>;

export const localStage = describeStage({
  role: 'stage',
  kind: 'local',
  title: 'local folder',
  config: LocalStage,
  capabilities: { remote: false },
  load: async () => {
    const { createLocalStage } = await import('./local-stage.js');
    return (connection, deps) => createLocalStage(connection, deps.logger);
  },
});
