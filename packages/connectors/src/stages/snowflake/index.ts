export {
  createSnowflakeStage,
  isSnowflakeStage,
  type SnowflakeStageConfig,
  type SnowflakeStageConnector,
} from './snowflake-stage.js';
