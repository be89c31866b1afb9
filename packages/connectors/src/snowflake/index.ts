export {
  resolveConnection,
  SPCS_CONNECTION,
  type ResolvedConnection,
  type SnowflakeTargetConfig,
} from './options.js';
export { snowflakeColumnType } from './column-types.js';
