import { defaultStageName } from '@dxa/config';
import { describeKind, pairingProblem } from '@dxa/connectors/src/catalog.js';
import { connectionsOf, type FileFormat, type JobSpec, type WorkerInfo } from '@dxa/contracts';
import { AppError } from '@dxa/errors';

type Role = 'source' | 'stage' | 'target';

/** What the gateway knows of the connections a job names: its own configuration, then live workers'. */
export type KnownConnections = {
  /** The connection's type, or undefined when neither the configuration nor a live worker says. */
  kindOf(role: Role, name: string): string | undefined;
  defaultStage: string;
  defaultFormat: FileFormat;
};

export type GatewayConnections = {
  connections: Record<Role, Record<string, { type: string }>>;
  defaults: { stage?: string | undefined; format: FileFormat };
};

export function knownConnections(
  config: GatewayConnections,
  workers: readonly WorkerInfo[],
): KnownConnections {
  return {
    kindOf(role, name) {
      const own = config.connections[role];
      if (Object.hasOwn(own, name)) return own[name]?.type;
      for (const worker of workers) {
        const kind = worker.connection_kinds?.[`${role}:${name}`];
        if (kind !== undefined && !worker.draining) return kind;
      }
      return undefined;
    },
    // The stage a worker with this configuration would use.
    defaultStage: defaultStageName(config),
    defaultFormat: config.defaults.format,
  };
}

function refuse(message: string, paths: string[]): AppError {
  return new AppError(
    'UNSUPPORTED',
    message,
    paths.map((path) => ({ path, message })),
  );
}

/**
 * Refuses at submit what no worker could run: a connection kind this version cannot run yet, and a
 * target that cannot load from the job's stage or format. Connections whose kind is not known here
 * are left to the worker, which checks again before any work.
 */
export function checkRunnable(spec: JobSpec, known: KnownConnections, fromJob?: JobSpec): void {
  for (const { role, name } of connectionsOf(spec)) {
    const kind = known.kindOf(role, name);
    if (kind !== undefined && !describeKind(role, kind)?.load)
      throw refuse(
        `${role} connection "${name}" (${kind}): connections of type "${kind}" are not supported yet`,
        [`${role}.connection`],
      );
  }
  if (spec.type !== 'migrate' && spec.type !== 'load') return;
  const staged =
    spec.type === 'migrate'
      ? spec
      : fromJob?.type === 'extract' || fromJob?.type === 'migrate'
        ? fromJob
        : undefined;
  const stageName = staged?.stage?.connection ?? known.defaultStage;
  const format = staged?.format ?? known.defaultFormat;
  const stageKind = known.kindOf('stage', stageName);
  const targetKind = known.kindOf('target', spec.target.connection);
  if (stageKind === undefined || targetKind === undefined) return;
  const problem = pairingProblem(targetKind, stageKind, format);
  if (problem === undefined) return;
  throw refuse(
    `stage "${stageName}" (${stageKind}) and target "${spec.target.connection}" (${targetKind}) cannot work together: the target ${problem}`,
    spec.type === 'migrate' ? ['stage.connection', 'target.connection'] : ['from_job', 'target.connection'],
  );
}
