import { existsSync } from 'node:fs';
import { isPlainObject, setPath, type PlainObject } from './merge.js';

export type EnvVar = {
  name: string;
  /** Dotted configuration key the variable sets; undefined when it is read elsewhere (see description). */
  key: string | undefined;
  description: string;
};

const SOURCE = 'connections.source.source';
const SNOWFLAKE = 'connections.target.snowflake';

/** Every environment variable the product reads. The Helm chart is checked against this list. */
export const ENV_VARS: readonly EnvVar[] = [
  { name: 'DXA_CONFIG', key: undefined, description: 'configuration file, when --config is not given' },
  { name: 'LOG_LEVEL', key: undefined, description: 'log level: error, warn, info, debug (default info)' },
  { name: 'WORKER_COUNT', key: 'application.workers', description: 'jobs a worker runs at once' },
  {
    name: 'AGENT_AFFINITY',
    key: 'application.affinity',
    description: 'affinity labels this worker serves, comma-separated',
  },
  {
    name: 'DXA_WORK_DIR',
    key: 'application.work_dir',
    description: 'local scratch directory for extracted files',
  },
  {
    name: 'DXA_SHUTDOWN_TIMEOUT_SECONDS',
    key: 'application.shutdown_timeout_seconds',
    description: 'how long SIGTERM waits for running jobs',
  },
  { name: 'PORT', key: 'server.port', description: 'gateway HTTP port' },
  {
    name: 'DXA_SPCS_TOKEN_PATH',
    key: undefined,
    description: 'SPCS OAuth token file (default /snowflake/session/token); its presence means "inside SPCS"',
  },
  {
    name: 'DXA_HOST',
    key: 'server.host',
    description: 'address the gateway and worker health server listen on (0.0.0.0 in the image)',
  },
  { name: 'REDIS_URL', key: 'redis.url', description: 'Redis URL (may carry a password)' },
  { name: 'DXA_REDIS_PREFIX', key: 'redis.prefix', description: 'prefix of every Redis key and queue' },
  { name: 'DXA_API_KEY', key: 'task_source.api.key', description: 'API key the gateway requires' },
  {
    name: 'DATA_SOURCE_TYPE',
    key: `${SOURCE}.type`,
    description: 'type of the source connection "source" (default sqlserver)',
  },
  {
    name: 'DATA_SOURCE_HOST',
    key: `${SOURCE}.host`,
    description: 'defines the source connection "source": host',
  },
  { name: 'DATA_SOURCE_PORT', key: `${SOURCE}.port`, description: 'source connection "source": port' },
  {
    name: 'DATA_SOURCE_DATABASE',
    key: `${SOURCE}.database`,
    description: 'defines the source connection "source": database',
  },
  {
    name: 'DATA_SOURCE_USERNAME',
    key: `${SOURCE}.username`,
    description: 'source connection "source": user name',
  },
  {
    name: 'DATA_SOURCE_PASSWORD',
    key: `${SOURCE}.password`,
    description: 'source connection "source": password',
  },
  {
    name: 'SNOWFLAKE_ACCOUNT',
    key: `${SNOWFLAKE}.account`,
    description: 'defines the target connection "snowflake": account',
  },
  {
    name: 'SNOWFLAKE_CONNECTION_NAME',
    key: `${SNOWFLAKE}.connection_name`,
    description: 'defines the target "snowflake" from a named connection',
  },
  { name: 'SNOWFLAKE_USER', key: `${SNOWFLAKE}.user`, description: 'target "snowflake": user' },
  { name: 'SNOWFLAKE_PASSWORD', key: `${SNOWFLAKE}.password`, description: 'target "snowflake": password' },
  {
    name: 'SNOWFLAKE_WAREHOUSE',
    key: `${SNOWFLAKE}.warehouse`,
    description: 'target "snowflake": warehouse',
  },
  { name: 'SNOWFLAKE_ROLE', key: `${SNOWFLAKE}.role`, description: 'target "snowflake": role' },
  { name: 'SNOWFLAKE_DATABASE', key: `${SNOWFLAKE}.database`, description: 'target "snowflake": database' },
  { name: 'SNOWFLAKE_SCHEMA', key: `${SNOWFLAKE}.schema`, description: 'target "snowflake": schema' },
  { name: 'SNOWFLAKE_HOST', key: `${SNOWFLAKE}.host`, description: 'target "snowflake": host (set by SPCS)' },
];

export type EnvOverlay = {
  /** A partial configuration built from the environment. */
  overlay: PlainObject;
  /** Dotted key → the variable that set it. */
  origins: Map<string, string>;
};

const isSet = (env: NodeJS.ProcessEnv, name: string) => (env[name] ?? '') !== '';

/** Where Snowpark Container Services mounts the service's OAuth token. */
const SPCS_TOKEN_FILE = '/snowflake/session/token';

/**
 * Inside SPCS (its token file exists) a Snowflake target that names no connection and has no
 * password is the service's own session: `@SPCS_CONNECTION`, as the upstream agent does.
 */
function runsInSpcs(env: NodeJS.ProcessEnv): boolean {
  if (isSet(env, 'SNOWFLAKE_CONNECTION_NAME') || isSet(env, 'SNOWFLAKE_PASSWORD')) return false;
  return existsSync(env.DXA_SPCS_TOKEN_PATH || SPCS_TOKEN_FILE);
}

/** Builds the environment layer. Empty variables count as unset (Helm renders unset values as ""). */
export function envOverlay(env: NodeJS.ProcessEnv): EnvOverlay {
  const sourceDefined = isSet(env, 'DATA_SOURCE_HOST') || isSet(env, 'DATA_SOURCE_DATABASE');
  const spcs = runsInSpcs(env);
  const snowflakeDefined = isSet(env, 'SNOWFLAKE_ACCOUNT') || isSet(env, 'SNOWFLAKE_CONNECTION_NAME') || spcs;
  const overlay: PlainObject = {};
  const origins = new Map<string, string>();
  if (spcs) {
    setPath(overlay, `${SNOWFLAKE}.connection_name`, '@SPCS_CONNECTION');
    origins.set(`${SNOWFLAKE}.connection_name`, 'the SPCS token file');
  }
  for (const { name, key } of ENV_VARS) {
    const value = env[name];
    if (key === undefined || value === undefined || value === '') continue;
    // SPCS sets SNOWFLAKE_HOST etc. on every container; they only matter once a connection is defined.
    if (key.startsWith(`${SOURCE}.`) && !sourceDefined) continue;
    if (key.startsWith(`${SNOWFLAKE}.`) && !snowflakeDefined) continue;
    setPath(overlay, key, value);
    origins.set(key, name);
  }
  if (snowflakeDefined) setPath(overlay, `${SNOWFLAKE}.type`, 'snowflake');
  return { overlay, origins };
}

/** After merging: the upstream default type of the env-defined source, unless the file gave one. */
export function applyEnvDefaults(merged: PlainObject, env: NodeJS.ProcessEnv): void {
  const sourceDefined = isSet(env, 'DATA_SOURCE_HOST') || isSet(env, 'DATA_SOURCE_DATABASE');
  const connections = merged.connections;
  const sources = isPlainObject(connections) ? connections.source : undefined;
  const source = isPlainObject(sources) ? sources.source : undefined;
  if (sourceDefined && isPlainObject(source) && source.type === undefined) source.type = 'sqlserver';
}
