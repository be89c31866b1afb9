import type { PoolOptions } from 'mysql2';
import type { MysqlConnection } from './description.js';
import { TerminalError } from '@dxa/errors';

/**
 * Pool settings for one connection. Values travel as exact text (big numbers, decimals and dates
 * as strings) and the connection speaks utf8mb4. `multipleStatements` stays off: `where` and
 * `query` come from job payloads. `extra_options` takes `connect_timeout` (seconds) and `ssl`
 * (`true`: TLS with a verified certificate, `"require"`: TLS without verification).
 */
export function poolOptions(conn: MysqlConnection): PoolOptions {
  const options: PoolOptions = {
    host: conn.host,
    port: conn.port,
    charset: 'utf8mb4_general_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    multipleStatements: false,
    connectionLimit: 4,
    maxIdle: 4,
    idleTimeout: 30_000,
    connectTimeout: 15_000,
    enableKeepAlive: true,
  };
  if (conn.database !== undefined) options.database = conn.database;
  if (conn.username !== undefined) options.user = conn.username;
  if (conn.password !== undefined) options.password = conn.password;
  for (const [key, value] of Object.entries(conn.extra_options)) {
    if (key === 'connect_timeout') options.connectTimeout = Number(value) * 1000;
    else if (key === 'ssl' && (value === true || value === 'true'))
      options.ssl = { rejectUnauthorized: true };
    else if (key === 'ssl' && value === 'require') options.ssl = { rejectUnauthorized: false };
    else if (key === 'ssl' && (value === false || value === 'false')) continue;
    else
      throw new TerminalError(
        'CONFIG_ERROR',
        `extra_options: "${key}" is not a MySQL connection option this source knows (connect_timeout, ssl)`,
      );
  }
  return options;
}
