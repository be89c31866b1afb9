import { TerminalError } from '@dxa/errors';
import type { ConnectionRole, DxaConfig } from './schema.js';

type Connections = DxaConfig['connections'];
export type ConnectionByRole = { [R in ConnectionRole]: Connections[R][string] };

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
): ConnectionByRole[R] {
  // TypeScript cannot narrow `connections[role]` by a generic R; the mapped type above is exact.
  const table = config.connections[role] as Record<string, ConnectionByRole[R]>;
  const found = Object.hasOwn(table, name) ? table[name] : undefined;
  if (found !== undefined) return found;
  const names = Object.keys(table);
  throw new TerminalError(
    'CONFIG_ERROR',
    `unknown ${role} connection "${name}"; configured: ${names.length > 0 ? names.join(', ') : '(none)'}`,
  );
}

/** `defaults.stage`, else the only stage, else "local". */
export function defaultStageName(config: DxaConfig): string {
  if (config.defaults.stage !== undefined) return config.defaults.stage;
  const stages = Object.keys(config.connections.stage);
  return stages.length === 1 && stages[0] !== undefined ? stages[0] : 'local';
}
