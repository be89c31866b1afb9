import { ConfigError } from '@dxa/config';
import { maskSecretsInText } from '@dxa/logger';
import { ApiError } from './api-client.js';
import { UsageError } from './runtime.js';

function detailText(detail: unknown): string {
  if (typeof detail !== 'object' || detail === null) return '';
  const { path, message } = detail as { path?: unknown; message?: unknown };
  if (typeof message !== 'string') return '';
  return typeof path === 'string' && path ? `${path}: ${message}` : message;
}

/** Prints a one-line error (a stack only with --debug) and returns the exit code. */
export function reportFatal(err: unknown, debug: boolean): number {
  const e = err instanceof Error ? err : new Error(String(err));
  let line: string;
  let code = 1;
  if (e instanceof ConfigError) {
    line = `configuration error: ${e.message}`;
    code = 2;
  } else if (e instanceof UsageError) {
    line = e.message;
    code = 2;
  } else if (e instanceof ApiError) {
    const details = e.details.map(detailText).filter(Boolean);
    line = `${e.code}: ${e.message}${details.length ? ` (${details.join('; ')})` : ''}`;
  } else {
    line = e.message.split('\n')[0] ?? String(e);
  }
  process.stderr.write(`dxa: ${maskSecretsInText(line)}\n`);
  if (debug && e.stack) process.stderr.write(`${maskSecretsInText(e.stack)}\n`);
  return code;
}
