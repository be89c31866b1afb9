import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** `<hostname>-<pid>-<short random>`: readable in logs, unique across restarts on one host. */
export function newWorkerId(host: string = hostname(), pid: number = process.pid): string {
  const safeHost = host.replace(/[^A-Za-z0-9.-]/g, '_') || 'host';
  return `${safeHost}-${pid}-${randomBytes(3).toString('hex')}`;
}
