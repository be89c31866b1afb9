import winston from 'winston';
import { redactFormat } from './redact-format.js';

export { maskSecretsInText, registerSecrets } from './mask-text.js';
export { LOG_LIMITS, SECRET_KEY_PATTERN, sanitizeValue } from './sanitize.js';
export { redactFormat };

export type Logger = winston.Logger;

export type LoggerOptions = {
  /** Defaults to $LOG_LEVEL, else "info". */
  level?: string | undefined;
  /** Defaults to JSON lines on stderr; tests pass a memory transport. */
  transports?: winston.transport[] | undefined;
};

const LEVELS = Object.keys(winston.config.npm.levels);

function resolveLevel(level: string | undefined): string {
  const wanted = (level ?? '').trim().toLowerCase();
  return LEVELS.includes(wanted) ? wanted : 'info';
}

/** JSON logger scoped by name; children add job, worker and connector fields. Secrets are masked. */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  return winston.createLogger({
    level: resolveLevel(options.level ?? process.env.LOG_LEVEL),
    defaultMeta: { logger: name },
    format: winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json()),
    transports: options.transports ?? [new winston.transports.Console({ stderrLevels: LEVELS })],
  });
}
