import { connectionsOf, type JobSpec, type WorkerInfo } from '@dxa/contracts';
import { AppError, type ErrorDetail } from '@dxa/errors';

/** The gateway's configured connections by role and name (only the names matter here). */
export type ConfiguredConnections = Record<'source' | 'stage' | 'target', Record<string, unknown>>;
type Role = keyof ConfiguredConnections;

/**
 * A worker advertises `<role>:<name>` (or a bare `<name>`, which counts for every role): workers may
 * hold connections the gateway's configuration does not know about.
 */
function advertised(workers: readonly WorkerInfo[], role: Role, name: string): boolean {
  return workers.some(
    (w) => !w.draining && (w.connections.includes(`${role}:${name}`) || w.connections.includes(name)),
  );
}

/** Throws UNKNOWN_CONNECTION naming every connection neither the configuration nor a live worker has. */
export function checkConnections(
  spec: JobSpec,
  configured: ConfiguredConnections,
  workers: readonly WorkerInfo[],
): void {
  const missing = connectionsOf(spec).filter(
    ({ role, name }) => !Object.hasOwn(configured[role], name) && !advertised(workers, role, name),
  );
  if (missing.length === 0) return;
  const details: ErrorDetail[] = missing.map(({ role, name }) => ({
    path: `${role}.connection`,
    message: `no ${role} connection named "${name}" in the gateway configuration or on a live worker`,
  }));
  const names = missing.map(({ role, name }) => `${role} connection "${name}"`).join(', ');
  throw new AppError('UNKNOWN_CONNECTION', `unknown ${names}`, details);
}
