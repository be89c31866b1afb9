import type { z } from 'zod';
import type { FileFormat } from '@dxa/contracts';
import type { DriverErrorTable } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { DestinationConnector, SourceConnector, StageConnector } from './types.js';

/*
 * A connector describes itself without loading its driver: the configuration it takes, what it can
 * do, what its driver's error codes mean, and how to import the implementation. The catalog
 * (../catalog.ts) lists every description; the config schema, the registry, the pairing checks
 * and error classification are all built from that one list.
 */

export type ConnectorRole = 'source' | 'stage' | 'target';

/** How consistent a source's read is: one snapshot for the whole table (and every partition), per partition, or none. */
export type SourceConsistency = 'snapshot' | 'per_partition' | 'none';

export type SourceCapabilities = {
  consistency: SourceConsistency;
  /** Whether it can split a table into slices read by several workers (`options.partitions`). */
  partitions: boolean;
};

export type StageCapabilities = {
  /** Files live off this machine (object storage, a warehouse stage): targets fetch or reference them. */
  remote: boolean;
};

/** What a target can load; checked at submit (gateway) and again before any work (worker). */
export type TargetCapabilities = {
  /** File formats it reads from a stage. */
  formats: readonly FileFormat[];
  /** Stage kinds it can read from. */
  stages: readonly string[];
  /** Whether a load is all-or-nothing. */
  transactional: boolean;
};

/** What a factory gets besides its own connection: a logger and the other configured connections. */
export type ConnectorDeps = {
  logger: Logger;
  /** Another configured connection (a Snowflake stage logs in as the Snowflake target it names). */
  connection(role: ConnectorRole, name: string): { type: string };
};

type ConfigObject = z.ZodObject<{ type: z.ZodLiteral<string> }>;

type Description<Role extends ConnectorRole, Kind extends string, Config extends ConfigObject, Caps, Connector> = {
  role: Role;
  /** The connection `type` in the configuration. */
  kind: Kind;
  /** How people name it in messages: `PostgreSQL`, `Azure Blob`. */
  title: string;
  /** The connection's configuration fields (composed into @dxa/config's schema). */
  config: Config;
  capabilities: Caps;
  /** What the driver's error codes mean, for classifyError. */
  driverErrors?: DriverErrorTable;
  /**
   * Imports the implementation and its driver, only when a connection of this kind is used.
   * Absent for kinds the configuration accepts but this version cannot run yet.
   */
  load?: () => Promise<(connection: z.infer<Config>, deps: ConnectorDeps) => Connector>;
};

export type SourceDescriptor<K extends string = string, C extends ConfigObject = ConfigObject> = Description<
  'source',
  K,
  C,
  SourceCapabilities,
  SourceConnector
>;
export type StageDescriptor<K extends string = string, C extends ConfigObject = ConfigObject> = Description<
  'stage',
  K,
  C,
  StageCapabilities,
  StageConnector
>;
export type TargetDescriptor<K extends string = string, C extends ConfigObject = ConfigObject> = Description<
  'target',
  K,
  C,
  TargetCapabilities,
  DestinationConnector
>;
export type AnyDescriptor = SourceDescriptor | StageDescriptor | TargetDescriptor;

// Identity functions: they only pin the types, so a description is checked where it is written.
export const describeSource = <const K extends string, C extends ConfigObject>(
  d: SourceDescriptor<K, C>,
): SourceDescriptor<K, C> => d;
export const describeStage = <const K extends string, C extends ConfigObject>(
  d: StageDescriptor<K, C>,
): StageDescriptor<K, C> => d;
export const describeTarget = <const K extends string, C extends ConfigObject>(
  d: TargetDescriptor<K, C>,
): TargetDescriptor<K, C> => d;
