import { connectionNamed, type ConnectionOf } from '@dxa/connectors/src/catalog.js';
import type { ConnectionRole, DxaConfig } from './schema.js';

export type ConnectionByRole = { [R in ConnectionRole]: ConnectionOf<R> };

export function connectionNames(config: DxaConfig): { source: string[]; stage: string[]; target: string[] } {
  return {
    source: Object.keys(config.connections.source),
    stage: Object.keys(config.connections.stage),
    target: Object.keys(config.connections.target),
  };
}

/** The named connection, or a CONFIG_ERROR that lists what is configured. */
export function getConnection<R extends ConnectionRole>(
  config: DxaConfig,
  role: R,
  name: string,
): ConnectionOf<R> {
  return connectionNamed(config.connections, role, name);
}

/** `defaults.stage`, else the only stage, else "local". */
export function defaultStageName(config: {
  defaults: { stage?: string | undefined };
  connections: { stage: Record<string, unknown> };
}): string {
  if (config.defaults.stage !== undefined) return config.defaults.stage;
  const stages = Object.keys(config.connections.stage);
  return stages.length === 1 && stages[0] !== undefined ? stages[0] : 'local';
}
