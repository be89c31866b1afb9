import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from './config-error.js';
import { applyEnvDefaults, envOverlay } from './env-vars.js';
import { issueToConfigError, type Origin } from './issues.js';
import { deepMerge, isPlainObject, leafPaths, type DeepPartial, type PlainObject } from './merge.js';
import { ConfigSchema, type DxaConfig } from './schema.js';
import { substituteEnv } from './substitute.js';
import { normaliseUpstream } from './upstream.js';
import { checkReferences, withDefaultStage } from './defaults.js';

export const DEFAULT_CONFIG_FILE = 'configuration.toml';

/** Command-line flags and other explicit settings; they win over environment and file. */
export type ConfigOverrides = DeepPartial<DxaConfig>;

export type LoadConfigOptions = {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  overrides?: ConfigOverrides | undefined;
};

export type LoadedConfig = { config: DxaConfig; file?: string };

/** `--config FILE`, else `$DXA_CONFIG`, else `./configuration.toml` if it exists, else undefined (defaults only). */
export function resolveConfigFile(options: {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}): string | undefined {
  const env = options.env ?? process.env;
  const given = options.file ?? (env.DXA_CONFIG === '' ? undefined : env.DXA_CONFIG);
  if (given !== undefined) {
    if (!existsSync(given))
      throw new ConfigError(`${given}: configuration file not found`, {
        file: given,
        expected: 'an existing file',
      });
    if (!statSync(given).isFile())
      throw new ConfigError(`${given}: not a file`, { file: given, expected: 'a TOML file' });
    return given;
  }
  const fallback = path.resolve(process.cwd(), DEFAULT_CONFIG_FILE);
  return existsSync(fallback) && statSync(fallback).isFile() ? DEFAULT_CONFIG_FILE : undefined;
}

function parseToml(file: string): PlainObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`${file}: cannot read the configuration file (${reason})`, {
      file,
      expected: 'a readable file',
    });
  }
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // Only the first line: the rest is a code excerpt that may show a secret.
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    throw new ConfigError(`${file}:${error.line}:${error.column}: TOML syntax error: ${reason}`, {
      file,
      line: error.line,
      expected: 'valid TOML',
    });
  }
}

/** Parse, substitute `${ENV}` and rewrite the upstream layout. */
function readConfigFile(file: string, env: NodeJS.ProcessEnv): PlainObject {
  const substituted = substituteEnv(parseToml(file), env, file);
  return normaliseUpstream(isPlainObject(substituted) ? substituted : {}, file);
}

/** Says which layer a bad value came from: command line, environment variable, or file. */
function originFinder(file: string | undefined, envOrigins: Map<string, string>, overridden: Set<string>) {
  const fileOrigin: Origin = file === undefined ? { label: 'configuration' } : { label: file, file };
  return (issuePath: readonly PropertyKey[]): Origin => {
    const parts = issuePath.map(String);
    for (let n = parts.length; n > 0; n--) {
      const key = parts.slice(0, n).join('.');
      if (overridden.has(key)) return { label: 'command line' };
      const envVar = envOrigins.get(key);
      if (envVar !== undefined) return { label: `environment variable ${envVar}`, envVar };
    }
    return fileOrigin;
  };
}

/** Loads the configuration once: defaults < file < environment < overrides, validated by ConfigSchema. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const file = resolveConfigFile({ file: options.file, env });
  const fromFile = file === undefined ? {} : readConfigFile(file, env);
  const { overlay, origins } = envOverlay(env);
  const overrides = (options.overrides ?? {}) as PlainObject;
  const merged = deepMerge(deepMerge(fromFile, overlay), overrides);
  applyEnvDefaults(merged, env);
  const originOf = originFinder(file, origins, new Set(leafPaths(overrides)));
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) throw issueToConfigError(parsed.error.issues, { data: merged, originOf });
  const config = withDefaultStage(parsed.data);
  checkReferences(config, originOf);
  return file === undefined ? { config } : { config, file };
}
