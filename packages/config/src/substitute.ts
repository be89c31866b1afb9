import { ConfigError, formatKey } from './config-error.js';

type Path = readonly PropertyKey[];

/** `${NAME}`, `${NAME:-default}`; `$${…}` stays literal as `${…}`. */
const REFERENCE = /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function substituteString(text: string, env: NodeJS.ProcessEnv, path: Path, file: string): string {
  return text.replace(
    REFERENCE,
    (match: string, escaped: string | undefined, name: string, fallback: string | undefined) => {
      if (escaped !== undefined) return match.slice(1);
      const value = env[name];
      // Like the shell: `:-` applies when the variable is unset or empty.
      if (fallback !== undefined) return value === undefined || value === '' ? fallback : value;
      if (value !== undefined) return value;
      const key = formatKey(path);
      throw new ConfigError(
        `${file}: ${key}: environment variable ${name} is not set (write \${${name}:-default} for a default)`,
        {
          file,
          key,
          expected: `environment variable ${name} to be set`,
        },
      );
    },
  );
}

/** Replaces environment references in every string value of a parsed TOML document. */
export function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  file: string,
  path: Path = [],
): unknown {
  if (typeof value === 'string') return substituteString(value, env, path, file);
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, file, [...path, i]));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, file, [...path, k])]),
    );
  }
  return value;
}
