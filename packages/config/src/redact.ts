import { ConfigSchema, type DxaConfig } from './schema.js';
import { schemaAt, secretFieldNames } from './schema-walk.js';
import { REDACTED, SECRET_KEY_PATTERN } from './secret.js';

/** Field names registered with secret() anywhere in the schema, e.g. access_key_id. */
const SECRET_FIELDS = secretFieldNames(ConfigSchema);

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]*):([^\s@/]+)@/gi;
/** `Key=value;` parts of Azure / ODBC connection strings that are secrets. */
const CONNECTION_STRING_SECRETS =
  /(?:^|;)\s*(?:AccountKey|SharedAccessSignature|Password|Pwd)\s*=\s*([^;]+)/gi;

function urlSecrets(url: string): string[] {
  try {
    // The user name ("default") is not a secret; masking it everywhere would garble the logs.
    const { password } = new URL(url);
    return [password, decodeURIComponent(password)].filter((s) => s !== '');
  } catch {
    return [];
  }
}

/** Every secret string in a loaded configuration, for the logger's value scan (`registerSecrets`). */
export function secretValues(config: DxaConfig): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, path: string[]): void => {
    if (typeof value === 'string') {
      const key = path.at(-1) ?? '';
      const inExtraOptions = path.at(-2) === 'extra_options' && SECRET_KEY_PATTERN.test(key);
      if (inExtraOptions || schemaAt(ConfigSchema, path, config)?.secret === true) found.add(value);
      for (const match of value.matchAll(CONNECTION_STRING_SECRETS))
        if (match[1] !== undefined) found.add(match[1].trim());
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    }
  };
  visit(config, []);
  for (const secret of urlSecrets(config.redis.url)) found.add(secret);
  found.delete('');
  return [...found];
}

function isSecretKey(key: string): boolean {
  return SECRET_FIELDS.has(key) || SECRET_KEY_PATTERN.test(key);
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return value.replace(URL_CREDENTIALS, `$1$2:${REDACTED}@`);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  const out = Array.isArray(value)
    ? value.map((item) => redactValue(item, seen))
    : Object.fromEntries(
        Object.entries(value).map(([k, v]) => {
          const masked = isSecretKey(k) && v !== undefined && v !== null && typeof v !== 'boolean';
          return [k, masked ? REDACTED : redactValue(v, seen)];
        }),
      );
  seen.delete(value);
  return out;
}

/**
 * A deep copy safe to print: secret() fields and keys like password/token/…key are "***",
 * credentials inside URLs become `scheme://user:***@`.
 */
export function redact(value: unknown): unknown {
  return redactValue(value, new WeakSet());
}
