import { z } from 'zod';
import { TerminalError } from '@dxa/errors';
import { describeStage } from '../../core/describe.js';
import type { SnowflakeTargetConfig } from '../../destinations/snowflake/description.js';

export const SnowflakeStage = z.strictObject({
  type: z.literal('snowflake_stage'),
  /** The Snowflake target whose account holds the stage; the stage logs in as that target. */
  connection: z.string().min(1),
  stage: z.string().default('@~'),
});
export type SnowflakeStageConfig = z.infer<typeof SnowflakeStage>;

export const snowflakeStage = describeStage({
  role: 'stage',
  kind: 'snowflake_stage',
  title: 'Snowflake stage',
  config: SnowflakeStage,
  capabilities: { remote: true },
  load: async () => {
    const { createSnowflakeStage } = await import('./snowflake-stage.js');
    return (connection, deps) => {
      const target = deps.connection('target', connection.connection);
      if (target.type !== 'snowflake')
        throw new TerminalError(
          'CONFIG_ERROR',
          `connection "${connection.connection}" must be a Snowflake target, not "${target.type}"`,
        );
      return createSnowflakeStage(connection, target as SnowflakeTargetConfig, deps.logger);
    };
  },
});
