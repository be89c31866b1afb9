import { sourceDescriptions } from '@dxa/connectors/src/catalog.js';
import { ConfigError, suggestKey } from './config-error.js';
import { isPlainObject, type PlainObject } from './merge.js';

/** Upstream names its source tables after their type: `[connections.source.postgresql]`. */
const SOURCE_TYPES: readonly string[] = sourceDescriptions.map((d) => d.kind);
/** Every field some source kind takes; anything else in an upstream source table is a driver option. */
const SOURCE_FIELDS = [...new Set(sourceDescriptions.flatMap((d) => Object.keys(d.config.shape)))];

/** Upstream target tables that are stages in our model: name → [stage type, renamed fields]. */
const UPSTREAM_STAGES: Record<string, { type: string; rename: Record<string, string> }> = {
  s3: { type: 's3', rename: { region_name: 'region' } },
  blob: { type: 'azure_blob', rename: {} },
};

/** Upstream Snowflake target tables; each becomes the target named `snowflake`. */
const UPSTREAM_SNOWFLAKE: Record<string, PlainObject> = {
  snowflake_connection_name: {},
  snowflake_password: {},
  snowflake_external_browser: { authenticator: 'externalbrowser' },
};

const table = (value: unknown): PlainObject => (isPlainObject(value) ? value : {});

/** Upstream passed unknown source fields to the driver (`**extra_options`); typos still fail validation. */
function upstreamSource(name: string, conn: PlainObject): PlainObject {
  const out: PlainObject = { type: name };
  const extra: PlainObject = { ...table(conn.extra_options) };
  for (const [key, value] of Object.entries(conn)) {
    if (SOURCE_FIELDS.includes(key) || suggestKey(key, SOURCE_FIELDS) !== undefined) out[key] = value;
    else extra[key] = value;
  }
  if (Object.keys(extra).length > 0) out.extra_options = extra;
  return out;
}

function conflict(where: string, key: string, what: string): ConfigError {
  return new ConfigError(`${where}: ${key}: ${what}`, {
    file: where,
    key,
    expected: 'one definition per connection name',
  });
}

function moveTargets(targets: PlainObject, stages: PlainObject, where: string): void {
  for (const [name, value] of Object.entries(targets)) {
    const conn = table(value);
    const stage = UPSTREAM_STAGES[name];
    if (stage !== undefined && (conn.type === undefined || conn.type === stage.type)) {
      if (name in stages)
        throw conflict(
          where,
          `connections.target.${name}`,
          `upstream stage "${name}" clashes with [connections.stage.${name}]`,
        );
      const renamed = Object.entries(conn).map(([k, v]) => [stage.rename[k] ?? k, v]);
      stages[name] = { ...Object.fromEntries(renamed), type: stage.type };
      delete targets[name];
      continue;
    }
    const extra = UPSTREAM_SNOWFLAKE[name];
    if (extra !== undefined && conn.type === undefined) {
      if ('snowflake' in targets)
        throw conflict(
          where,
          `connections.target.${name}`,
          'more than one table defines the target "snowflake"',
        );
      targets.snowflake = { ...extra, ...conn, type: 'snowflake' };
      delete targets[name];
    }
  }
}

/** Rewrites the upstream TOML layout into ours; our own layout passes through unchanged. */
export function normaliseUpstream(raw: PlainObject, where: string): PlainObject {
  const doc = structuredClone(raw);
  const app = doc.application;
  if (isPlainObject(app) && 'max_parallel_tasks' in app) {
    app.workers ??= app.max_parallel_tasks;
    delete app.max_parallel_tasks;
  }
  const connections = doc.connections;
  if (!isPlainObject(connections)) return doc;
  const sources = connections.source;
  if (isPlainObject(sources)) {
    for (const [name, conn] of Object.entries(sources)) {
      if (SOURCE_TYPES.includes(name) && isPlainObject(conn) && conn.type === undefined)
        sources[name] = upstreamSource(name, conn);
    }
  }
  connections.stage ??= {};
  // A malformed section is left for schema validation to report.
  if (isPlainObject(connections.target) && isPlainObject(connections.stage))
    moveTargets(connections.target, connections.stage, where);
  return doc;
}
