import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { TerminalError } from '@dxa/errors';

/** Settings of a named connection as the Snowflake tools spell them (`user`, `private_key_file`, …). */
export type NamedConnection = { name: string; file: string; settings: Record<string, unknown> };

export type FileLookupEnv = { env: NodeJS.ProcessEnv; homeDir?: string | undefined };

type TomlTable = Record<string, unknown>;

function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** `$SNOWFLAKE_HOME`, else `~/.snowflake`: where the Snowflake CLI and drivers keep their files. */
export function snowflakeHome({ env, homeDir }: FileLookupEnv): string {
  const configured = env.SNOWFLAKE_HOME;
  return configured !== undefined && configured !== ''
    ? configured
    : path.join(homeDir ?? homedir(), '.snowflake');
}

function readToml(file: string): TomlTable | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new TerminalError('CONFIG_ERROR', `snowflake: cannot read ${file} (${reason})`);
  }
  try {
    return parseToml(text);
  } catch (err) {
    // The parser's message quotes the offending line, which may hold a password: keep only its position.
    const line = (err as { line?: unknown }).line;
    const where = typeof line === 'number' ? ` at line ${line}` : '';
    throw new TerminalError('CONFIG_ERROR', `snowflake: ${file} is not valid TOML${where}`);
  }
}

/**
 * Finds a named connection the way the Snowflake CLI does: `connections.toml` (top-level tables)
 * first, then `config.toml` (`[connections.<name>]`). The name `default` also follows
 * `SNOWFLAKE_DEFAULT_CONNECTION_NAME` or `default_connection_name` from config.toml.
 */
export function findNamedConnection(name: string, lookup: FileLookupEnv): NamedConnection {
  const home = snowflakeHome(lookup);
  const connectionsFile = path.join(home, 'connections.toml');
  const configFile = path.join(home, 'config.toml');
  const connections = readToml(connectionsFile);
  const config = readToml(configFile);
  const configConnections = isTable(config?.connections) ? config.connections : undefined;

  const candidates = [name];
  if (name === 'default') {
    const alias = lookup.env.SNOWFLAKE_DEFAULT_CONNECTION_NAME ?? config?.default_connection_name;
    if (typeof alias === 'string' && alias !== '' && alias !== name) candidates.push(alias);
  }
  for (const candidate of candidates) {
    const fromConnections = connections?.[candidate];
    if (isTable(fromConnections))
      return { name: candidate, file: connectionsFile, settings: fromConnections };
    const fromConfig = configConnections?.[candidate];
    if (isTable(fromConfig)) return { name: candidate, file: configFile, settings: fromConfig };
  }

  const found = [
    ...Object.keys(connections ?? {}).filter((k) => isTable(connections?.[k])),
    ...Object.keys(configConnections ?? {}).filter((k) => isTable(configConnections?.[k])),
  ];
  const searched = [connectionsFile, configFile]
    .map((f) => `${f}${existsSync(f) ? '' : ' (missing)'}`)
    .join(', ');
  throw new TerminalError(
    'CONFIG_ERROR',
    `snowflake: connection_name "${name}" not found; searched ${searched}; connections found: ${
      found.length > 0 ? [...new Set(found)].join(', ') : '(none)'
    }`,
  );
}
