import path from 'node:path';
import { ConfigError } from './config-error.js';
import type { Origin } from './issues.js';
import type { DxaConfig } from './schema.js';

/** `<work_dir>/../stage`, kept relative the way users write it (`./.dxa/stage`). */
export function defaultStagePath(workDir: string): string {
  const joined = path.join(workDir, '..', 'stage');
  return path.isAbsolute(joined) || /^\.\.?(\/|$)/.test(joined) ? joined : `./${joined}`;
}

/** Every configuration has at least one stage: a local one next to the work directory. */
export function withDefaultStage(config: DxaConfig): DxaConfig {
  if (Object.keys(config.connections.stage).length > 0) return config;
  const local = { type: 'local' as const, path: defaultStagePath(config.application.work_dir) };
  return { ...config, connections: { ...config.connections, stage: { local } } };
}

const list = (names: string[]) => (names.length === 0 ? '(none)' : names.join(', '));

/** Checks names that point at other connections. */
export function checkReferences(config: DxaConfig, originOf: (path: readonly PropertyKey[]) => Origin): void {
  const stages = Object.keys(config.connections.stage);
  const stage = config.defaults.stage;
  if (stage !== undefined && !stages.includes(stage)) {
    const origin = originOf(['defaults', 'stage']);
    throw new ConfigError(
      `${origin.label}: defaults.stage: unknown stage "${stage}"; configured: ${list(stages)}`,
      {
        file: origin.file,
        key: 'defaults.stage',
        expected: `one of ${list(stages)}`,
      },
    );
  }
  const snowflakeTargets = Object.entries(config.connections.target)
    .filter(([, t]) => t.type === 'snowflake')
    .map(([n]) => n);
  for (const [name, conn] of Object.entries(config.connections.stage)) {
    if (conn.type !== 'snowflake_stage' || snowflakeTargets.includes(conn.connection)) continue;
    const key = `connections.stage.${name}.connection`;
    const origin = originOf(key.split('.'));
    throw new ConfigError(
      `${origin.label}: ${key}: unknown snowflake target "${conn.connection}"; configured: ${list(snowflakeTargets)}`,
      {
        file: origin.file,
        key,
        expected: `the name of a snowflake target: ${list(snowflakeTargets)}`,
      },
    );
  }
}
