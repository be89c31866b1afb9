import type { PoolConfig } from 'pg';
import type { PostgresConnection } from './description.js';
import { TerminalError } from '@dxa/errors';

const GUC_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function sslFor(mode: PostgresConnection['sslmode']): PoolConfig['ssl'] {
  switch (mode) {
    case 'disable':
    case 'prefer': // node-postgres cannot fall back from TLS to plain; prefer means plain here
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

/** Startup `options` escape spaces and backslashes (libpq rules). */
function escapeOption(value: string): string {
  return value.replace(/[\\ ]/g, (c) => `\\${c}`);
}

/**
 * Pool settings for one connection. `extra_options` takes the libpq names node-postgres knows
 * (application_name, connect_timeout in seconds, statement_timeout, options, keepalives); any
 * other key is sent as a server setting (`-c key=value`).
 */
export function poolConfig(conn: PostgresConnection): PoolConfig {
  const config: PoolConfig = {
    host: conn.host,
    port: conn.port,
    database: conn.database,
    user: conn.username,
    ssl: sslFor(conn.sslmode),
    application_name: 'dxa',
    max: 4,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 15_000,
    keepAlive: true,
  };
  if (conn.password !== undefined) config.password = conn.password;
  const options: string[] = [];
  for (const [key, value] of Object.entries(conn.extra_options)) {
    if (key === 'application_name') config.application_name = String(value);
    else if (key === 'connect_timeout') config.connectionTimeoutMillis = Number(value) * 1000;
    else if (key === 'statement_timeout') config.statement_timeout = Number(value);
    else if (key === 'keepalives') config.keepAlive = value === true || value === 1 || value === '1';
    else if (key === 'options') options.push(String(value));
    else if (GUC_NAME.test(key)) options.push(`-c ${key}=${escapeOption(String(value))}`);
    else throw new TerminalError('CONFIG_ERROR', `extra_options: "${key}" is not a PostgreSQL setting name`);
  }
  if (options.length > 0) config.options = options.join(' ');
  return config;
}
