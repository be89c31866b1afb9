import winston from 'winston';

export type Logger = winston.Logger;

/** JSON logger scoped by name; children add job, worker and connector fields. */
export function createLogger(name: string, options: { level?: string } = {}): Logger {
  return winston.createLogger({
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    defaultMeta: { logger: name },
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
  });
}
