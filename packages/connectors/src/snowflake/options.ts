import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'snowflake-sdk';
import type { SnowflakeTargetConfig } from '../destinations/snowflake/description.js';
import { TerminalError } from '@dxa/errors';
import { findNamedConnection, type FileLookupEnv } from './connection-files.js';

export type { SnowflakeTargetConfig };

/** The connection name that means "the Snowpark Container Services session of this container". */
export const SPCS_CONNECTION = '@SPCS_CONNECTION';
const SPCS_TOKEN_PATH = '/snowflake/session/token';
const LOGIN_RETRIES = 2;

/** Every setting, with the Snowflake tools' names, before it becomes snowflake-sdk options. */
type Settings = {
  account?: string;
  user?: string;
  password?: string;
  authenticator?: string;
  private_key_path?: string;
  private_key_passphrase?: string;
  token?: string;
  token_file_path?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  role?: string;
  host?: string;
  port?: number;
  protocol?: string;
  access_url?: string;
};
type Key = keyof Settings;
type TextKey = Exclude<Key, 'port'>;

/** The driver reads these (connection_config.js) but does not declare them. */
export type SdkConnectionOptions = ConnectionOptions & {
  port?: number;
  protocol?: string;
  sfRetryMaxLoginRetries?: number;
};

export type ResolvedConnection = {
  options: SdkConnectionOptions;
  account: string;
  /** `account "X" at <url>` for messages; never a credential. */
  label: string;
  /** account, user and endpoint: two connections with the same identity share a user stage. */
  identity: string;
  /** Values to mask wherever they could appear (password, passphrase, token). */
  secrets: string[];
};

const STRING_KEYS: TextKey[] = [
  'account',
  'user',
  'password',
  'authenticator',
  'private_key_path',
  'private_key_passphrase',
  'token',
  'token_file_path',
  'warehouse',
  'database',
  'schema',
  'role',
  'host',
  'protocol',
  'access_url',
];
/** Spellings used by the Snowflake CLI and drivers for the same settings. */
const FILE_ALIASES: Record<string, Key> = { private_key_file: 'private_key_path', username: 'user' };

function configError(message: string): TerminalError {
  return new TerminalError('CONFIG_ERROR', `snowflake: ${message}`);
}

/** Settings from a connections.toml/config.toml table; unknown keys are ignored as the CLI does. */
function fromFile(raw: Record<string, unknown>, where: string): Settings {
  const settings: Settings = {};
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = FILE_ALIASES[rawKey] ?? (rawKey as Key);
    if (key === 'port') {
      const port = typeof value === 'string' ? Number(value) : value;
      if (typeof port !== 'number' || !Number.isInteger(port))
        throw configError(`${where}: port must be a number`);
      settings.port = port;
    } else if (STRING_KEYS.includes(key) && value !== undefined) {
      if (typeof value !== 'string') throw configError(`${where}: ${rawKey} must be a string`);
      settings[key] = value;
    }
  }
  return settings;
}

/** Our configuration's keys, only those that are set (they override a named connection's). */
function explicit(conn: SnowflakeTargetConfig): Settings {
  const settings: Settings = {};
  for (const key of STRING_KEYS) {
    const value = (conn as Record<string, unknown>)[key];
    if (typeof value === 'string') settings[key] = value;
  }
  if (conn.port !== undefined) settings.port = conn.port;
  return settings;
}

function readSecretFile(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw configError(`cannot read the ${what} file ${file} (${reason})`);
  }
  if (text === '') throw configError(`the ${what} file ${file} is empty`);
  return text;
}

/** Snowpark Container Services: an OAuth token file and environment variables set by Snowflake. */
function spcsSettings(env: NodeJS.ProcessEnv): Settings {
  const tokenPath = env.DXA_SPCS_TOKEN_PATH || SPCS_TOKEN_PATH;
  if (!existsSync(tokenPath))
    throw configError(
      `${SPCS_CONNECTION}: ${tokenPath} does not exist (not running in Snowpark Container Services?)`,
    );
  const settings: Settings = { authenticator: 'OAUTH', token: readSecretFile(tokenPath, 'SPCS token') };
  const fromEnv: [TextKey, string | undefined][] = [
    ['account', env.SNOWFLAKE_ACCOUNT],
    ['host', env.SNOWFLAKE_HOST],
    ['database', env.SNOWFLAKE_DATABASE],
    ['schema', env.SNOWFLAKE_SCHEMA],
    ['warehouse', env.SNOWFLAKE_WAREHOUSE],
  ];
  for (const [key, value] of fromEnv) if (value) settings[key] = value;
  if (env.SNOWFLAKE_PORT) settings.port = Number(env.SNOWFLAKE_PORT);
  return settings;
}

function baseSettings(
  conn: SnowflakeTargetConfig,
  lookup: FileLookupEnv,
): { settings: Settings; origin: string } {
  const name = conn.connection_name;
  if (name === undefined || name === '') return { settings: {}, origin: 'the target connection' };
  if (name === SPCS_CONNECTION) return { settings: spcsSettings(lookup.env), origin: SPCS_CONNECTION };
  const found = findNamedConnection(name, lookup);
  const origin = `connection "${found.name}" in ${found.file} or the target connection`;
  return { settings: fromFile(found.settings, `${found.file} [${found.name}]`), origin };
}

/** The authenticator to use: the configured one, else implied by which credential is present. */
function authenticatorOf(s: Settings): string {
  if (s.authenticator) return s.authenticator.toUpperCase();
  if (s.token !== undefined || s.token_file_path !== undefined) return 'OAUTH';
  if (s.private_key_path !== undefined) return 'SNOWFLAKE_JWT';
  return 'SNOWFLAKE';
}

/** Reads the key now, so a wrong path or passphrase is a clear configuration error, not a login failure. */
function checkPrivateKey(file: string, passphrase: string | undefined): void {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw configError(`cannot read the private key file ${file} (${reason})`);
  }
  try {
    createPrivateKey({ key: pem, format: 'pem', ...(passphrase === undefined ? {} : { passphrase }) });
  } catch {
    throw configError(
      `the private key in ${file} cannot be used (not a PEM private key, or ${
        passphrase === undefined
          ? 'it is encrypted and private_key_passphrase is not set'
          : 'a wrong passphrase'
      })`,
    );
  }
}

/** `xy12345.snowflakecomputing.com` → `xy12345`, as the driver derives it. */
function accountFromHost(host: string | undefined): string | undefined {
  if (host === undefined || !/\.snowflakecomputing\./i.test(host)) return undefined;
  return host.split('.')[0];
}

function endpointOf(s: Settings, account: string): string {
  if (s.access_url) return s.access_url;
  const port = s.port === undefined ? '' : `:${s.port}`;
  return `${s.protocol ?? 'https'}://${s.host ?? `${account}.snowflakecomputing.com`}${port}`;
}

/**
 * Resolves a Snowflake target into snowflake-sdk connection options: a named connection
 * (`connection_name`: connections.toml, config.toml, or `@SPCS_CONNECTION`) gives the base, keys in
 * our configuration override it, then credentials are checked so a missing one is a CONFIG_ERROR
 * naming it. Token files are read here; the token is passed to the driver, never logged.
 */
export function resolveConnection(conn: SnowflakeTargetConfig, lookup: FileLookupEnv): ResolvedConnection {
  const { settings: base, origin } = baseSettings(conn, lookup);
  const s: Settings = { ...base, ...explicit(conn) };
  const missing = (key: string, why = '') => configError(`missing "${key}"${why} (set it in ${origin})`);

  const account = s.account ?? accountFromHost(s.host);
  if (account === undefined) throw missing('account');
  const authenticator = authenticatorOf(s);
  if (s.token === undefined && s.token_file_path !== undefined)
    s.token = readSecretFile(s.token_file_path, 'token');
  const needsUser = !['OAUTH', 'EXTERNALBROWSER'].includes(authenticator);
  if (needsUser && s.user === undefined) throw missing('user');

  // The driver retries a failed login 7 times over minutes; a job retry with backoff does that better.
  const options: SdkConnectionOptions = { account, authenticator, sfRetryMaxLoginRetries: LOGIN_RETRIES };
  if (s.user !== undefined) options.username = s.user;
  switch (authenticator) {
    case 'SNOWFLAKE':
      if (s.password === undefined) throw missing('password', ' for password authentication');
      options.password = s.password;
      break;
    case 'SNOWFLAKE_JWT':
      if (s.private_key_path === undefined) throw missing('private_key_path', ' for key pair authentication');
      checkPrivateKey(s.private_key_path, s.private_key_passphrase);
      options.privateKeyPath = s.private_key_path;
      if (s.private_key_passphrase !== undefined) options.privateKeyPass = s.private_key_passphrase;
      break;
    case 'OAUTH':
      if (s.token === undefined) throw missing('token_file_path', ' for OAuth');
      options.token = s.token;
      break;
    default:
      // Other authenticators (PAT, MFA, external browser, Okta) take what they need from these.
      if (s.password !== undefined) options.password = s.password;
      if (s.token !== undefined) options.token = s.token;
  }
  for (const key of ['warehouse', 'database', 'schema', 'role', 'host', 'protocol'] as const)
    if (s[key] !== undefined) options[key] = s[key];
  if (s.port !== undefined) options.port = s.port;
  if (s.access_url !== undefined) options.accessUrl = s.access_url;

  const endpoint = endpointOf(s, account);
  return {
    options,
    account,
    label: `account "${account}" at ${endpoint}`,
    identity: `${account.toUpperCase()}|${(s.user ?? '').toUpperCase()}|${endpoint}`,
    secrets: [s.password, s.private_key_passphrase, s.token].filter((v): v is string => v !== undefined),
  };
}
