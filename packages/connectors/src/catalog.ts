import { z } from 'zod';
import { TerminalError, installDriverErrorTables, type DriverErrorTable } from '@dxa/errors';
import type { AnyDescriptor, ConnectorRole, TargetCapabilities } from './core/describe.js';
import { azureBlobStage } from './stages/azure-blob/description.js';
import { duckdbTarget } from './destinations/duckdb/description.js';
import { localStage } from './stages/local/description.js';
import { mysqlSource } from './sources/mysql/description.js';
import { postgresSource } from './sources/postgres/description.js';
import { postgresTarget } from './destinations/postgres/description.js';
import { s3Stage } from './stages/s3/description.js';
import { snowflakeStage } from './stages/snowflake/description.js';
import { snowflakeTarget } from './destinations/snowflake/description.js';
import { sqlserverSource } from './sources/sqlserver/description.js';
import { teradataSource } from './sources/teradata/description.js';

/*
 * The connector list. Adding a connector is its folder (a driver-free description.ts beside the
 * implementation), one line here, and its driver in package.json; the configuration schema, the
 * registry, the submit-time pairing checks and error classification all follow from these lists.
 * This module loads no driver: the gateway and @dxa/config import it.
 */
export const sourceDescriptions = [postgresSource, sqlserverSource, teradataSource, mysqlSource] as const;
export const stageDescriptions = [localStage, s3Stage, azureBlobStage, snowflakeStage] as const;
export const targetDescriptions = [duckdbTarget, postgresTarget, snowflakeTarget] as const;

type ConfigsOf<T extends readonly AnyDescriptor[]> = { -readonly [K in keyof T]: T[K]['config'] };
const configsOf = <T extends readonly AnyDescriptor[]>(list: T) =>
  list.map((d) => d.config) as ConfigsOf<T>;

export const SourceConnection = z.discriminatedUnion('type', configsOf(sourceDescriptions));
export const StageConnection = z.discriminatedUnion('type', configsOf(stageDescriptions));
export const TargetConnection = z.discriminatedUnion('type', configsOf(targetDescriptions));
export type SourceConnection = z.infer<typeof SourceConnection>;
export type StageConnection = z.infer<typeof StageConnection>;
export type TargetConnection = z.infer<typeof TargetConnection>;

/** The `[connections]` section: named connections per role. */
export const ConnectionsSchema = z.strictObject({
  source: z.record(z.string(), SourceConnection).default({}),
  stage: z.record(z.string(), StageConnection).default({}),
  target: z.record(z.string(), TargetConnection).default({}),
});
export type Connections = z.infer<typeof ConnectionsSchema>;
export type ConnectionOf<R extends ConnectorRole> = Connections[R][string];

const byRole = { source: sourceDescriptions, stage: stageDescriptions, target: targetDescriptions } as const;

/** The description of a connection kind, or undefined for a kind no connector declares. */
export function describeKind(role: ConnectorRole, kind: string): AnyDescriptor | undefined {
  const list: readonly AnyDescriptor[] = byRole[role];
  return list.find((d) => d.kind === kind);
}

export function kindsOf(role: ConnectorRole): string[] {
  const list: readonly AnyDescriptor[] = byRole[role];
  return list.map((d) => d.kind);
}

/** The named connection, or a CONFIG_ERROR that lists what is configured. */
export function connectionNamed<R extends ConnectorRole>(
  connections: Connections,
  role: R,
  name: string,
): ConnectionOf<R> {
  // TypeScript cannot narrow `connections[role]` by a generic R; ConnectionOf<R> is exact.
  const table = connections[role] as Record<string, ConnectionOf<R>>;
  const found = Object.hasOwn(table, name) ? table[name] : undefined;
  if (found !== undefined) return found;
  const names = Object.keys(table);
  throw new TerminalError(
    'CONFIG_ERROR',
    `unknown ${role} connection "${name}"; configured: ${names.length > 0 ? names.join(', ') : '(none)'}`,
  );
}

/** What a target kind loads, or undefined for an unknown kind. */
export function targetCapabilities(kind: string): TargetCapabilities | undefined {
  return targetDescriptions.find((d) => d.kind === kind)?.capabilities;
}

/**
 * Why a target of kind `targetKind` cannot load `format` files from a stage of kind `stageKind`,
 * or undefined when it can (or the target kind is unknown here: the worker decides then).
 */
export function pairingProblem(targetKind: string, stageKind: string, format: string): string | undefined {
  const caps = targetCapabilities(targetKind);
  if (!caps) return undefined;
  if (!caps.stages.includes(stageKind))
    return `cannot load from a ${stageKind} stage (it loads from: ${caps.stages.join(', ')})`;
  if (!caps.formats.some((f) => f === format))
    return `cannot load ${format} files (it loads: ${caps.formats.join(', ')})`;
  return undefined;
}

/** Every connector's driver error table, each once (a driver can serve a source and a target). */
export const driverErrorTables: readonly DriverErrorTable[] = [
  ...new Set(
    [...sourceDescriptions, ...stageDescriptions, ...targetDescriptions].flatMap((d) =>
      d.driverErrors ? [d.driverErrors] : [],
    ),
  ),
];

// classifyError reads the drivers' codes from these tables in every process that knows the catalog.
installDriverErrorTables(driverErrorTables);
