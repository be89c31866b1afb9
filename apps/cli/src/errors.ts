import { ConfigError } from '@dxa/config';
import { maskSecretsInText } from '@dxa/logger';
import { ApiError } from './api-client.js';
import { UsageError } from './runtime.js';

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
    const details = e.details
      .map((d) => (typeof d === 'object' && d !== null && 'message' in d ? `${String((d as { path?: unknown }).path ?? '')}: ${String((d as { message: unknown }).message)}` : ''))
      .filter(Boolean);
    line = `${e.code}: ${e.message}${details.length ? ` (${details.join('; ')})` : ''}`;
  } else {
    line = e.message.split('\n')[0] ?? String(e);
  }
  process.stderr.write(`dxa: ${maskSecretsInText(line)}\n`);
  if (debug && e.stack) process.stderr.write(`${maskSecretsInText(e.stack)}\n`);
  return code;
}
