import { TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import {
  connectionNamed,
  describeKind,
  type ConnectionOf,
  type Connections,
} from './catalog.js';
import type { AnyDescriptor, ConnectorDeps, ConnectorRole } from './core/describe.js';
import { connectionLabel, nameError, withNamedErrors } from './core/named-errors.js';
import type { DestinationConnector, SourceConnector, StageConnector } from './core/types.js';

/** Anything holding the configured connections (a DxaConfig does). */
export type ConnectionsHolder = { connections: Connections };

type Factory = (connection: never, deps: ConnectorDeps) => unknown;
type ConnectorOf<R extends ConnectorRole> = R extends 'source'
  ? SourceConnector
  : R extends 'stage'
    ? StageConnector
    : DestinationConnector;

/*
 * Each connector's implementation (and the SDK it drags in: snowflake-sdk, @aws-sdk, @azure...) is
 * imported only when a connection of its kind is configured: those SDKs cost a worker tens of MB of
 * heap it never uses otherwise. Factories load once per process and are kept here for the
 * synchronous create* functions below.
 */
const loaded = new Map<string, Factory>();
const keyOf = (role: ConnectorRole, kind: string) => `${role}:${kind}`;

/**
 * Imports the implementations of every connection kind the configuration uses (and only those).
 * Call it once before the synchronous factories below; kinds not built yet are left to them to refuse.
 */
export async function loadConnectorModules(config: ConnectionsHolder): Promise<void> {
  const wanted = new Map<string, AnyDescriptor>();
  for (const role of ['source', 'stage', 'target'] as const)
    for (const connection of Object.values<{ type: string }>(config.connections[role])) {
      const description = describeKind(role, connection.type);
      if (description?.load) wanted.set(keyOf(role, connection.type), description);
    }
  await Promise.all(
    [...wanted].map(async ([key, description]) => {
      if (!loaded.has(key) && description.load) loaded.set(key, await description.load());
    }),
  );
}

/** Whether the implementation of a connection kind has been imported (tests check what stays unloaded). */
export function isConnectorModuleLoaded(role: ConnectorRole, type: string): boolean {
  return loaded.has(keyOf(role, type));
}

function create<R extends ConnectorRole>(
  config: ConnectionsHolder,
  role: R,
  name: string,
  logger: Logger,
): ConnectorOf<R> {
  const connection: ConnectionOf<R> = connectionNamed(config.connections, role, name);
  const label = `${role} ${connectionLabel(name, connection.type)}`;
  const description = describeKind(role, connection.type);
  if (!description?.load)
    throw new TerminalError(
      'CONFIG_ERROR',
      `${label}: connections of type "${connection.type}" are not supported yet`,
    );
  const factory = loaded.get(keyOf(role, connection.type));
  // A programming error, not a configuration one: the caller skipped loadConnectorModules.
  if (!factory)
    throw new Error(
      `connector "${keyOf(role, connection.type)}" is not loaded; await loadConnectorModules(config) first`,
    );
  const deps: ConnectorDeps = {
    logger: logger.child({ connection: name }),
    connection: (otherRole, otherName) => connectionNamed(config.connections, otherRole, otherName),
  };
  let connector: ConnectorOf<R>;
  try {
    connector = factory(connection as never, deps) as ConnectorOf<R>;
  } catch (err) {
    throw nameError(err, label);
  }
  // Every error the connector raises from here on names the connection (never its secrets).
  return withNamedErrors(connector, label);
}

export const createSource = (config: ConnectionsHolder, name: string, logger: Logger): SourceConnector =>
  create(config, 'source', name, logger);
export const createStage = (config: ConnectionsHolder, name: string, logger: Logger): StageConnector =>
  create(config, 'stage', name, logger);
export const createDestination = (
  config: ConnectionsHolder,
  name: string,
  logger: Logger,
): DestinationConnector => create(config, 'target', name, logger);
