export * from './schema.js';
export * from './secret.js';
export { ConfigError, type ConfigErrorFields } from './config-error.js';
export { ENV_VARS, type EnvVar } from './env-vars.js';
export type { DeepPartial } from './merge.js';
export {
  DEFAULT_CONFIG_FILE,
  loadConfig,
  resolveConfigFile,
  type ConfigOverrides,
  type LoadConfigOptions,
  type LoadedConfig,
} from './load.js';
export { connectionNames, defaultStageName, getConnection, type ConnectionByRole } from './connections.js';
export { redact, secretValues } from './redact.js';
/** The TOML parser the configuration uses, for connectors reading tool files (Snowflake's connections.toml). */
export { parse as parseToml } from 'smol-toml';
