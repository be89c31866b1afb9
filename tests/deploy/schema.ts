// Structural checks for deployment files (Helm chart now, docker-compose next). No helm binary is
// available, so these read values and template text directly instead of rendering.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENV_VARS } from '@dxa/config';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHART_DIR = `${REPO_ROOT}helm/dxa/`;

/**
 * GET paths without parameters the gateway routes (`router.get('/…'`) and the worker's health server
 * (`path === '/…'`) serve, read from their sources so a renamed route breaks the deploy checks.
 */
export function servedPaths(): { gateway: string[]; worker: string[] } {
  const read = (rel: string) => readFileSync(`${REPO_ROOT}${rel}`, 'utf8');
  const gatewaySources = ['health.ts', 'metrics.ts'].map((f) => read(`apps/gateway/src/routes/${f}`));
  const gateway = gatewaySources.flatMap((text) =>
    [...text.matchAll(/router\.get\('(\/[a-z]+)'/g)].map((m) => m[1]!),
  );
  const worker = [...read('apps/worker/src/health-server.ts').matchAll(/path === '(\/[a-z]+)'/g)].map(
    (m) => m[1]!,
  );
  return { gateway, worker };
}

/** Every path an HTTP probe, healthcheck or scrape config may use: what the gateway or a worker serves. */
export const PROBE_PATHS: readonly string[] = [
  ...new Set([...servedPaths().gateway, ...servedPaths().worker]),
].sort();

export type PlainObject = Record<string, unknown>;

const isPlainObject = (v: unknown): v is PlainObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function readYaml(path: string): unknown {
  return parseYaml(readFileSync(path, 'utf8'));
}

/**
 * Helm's merge of `-f` files over values.yaml: maps merge key by key, lists and scalars replace,
 * and null deletes the key.
 */
export function helmMerge(base: unknown, overlay: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay;
  const out: PlainObject = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key];
    else out[key] = key in out ? helmMerge(out[key], value) : value;
  }
  return out;
}

export type ValidationResult = { valid: boolean; errors: string[] };

const describe = (e: ErrorObject): string => {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  const extra =
    e.keyword === 'additionalProperties'
      ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})`
      : e.keyword === 'propertyNames'
        ? ` (${String((e.params as { propertyName?: unknown }).propertyName)})`
        : '';
  return `${where} ${e.message ?? e.keyword}${extra}`;
};

/** Compiles a JSON Schema (draft-07) file into a validator whose errors name the offending path. */
export function schemaValidator(schemaFile: string): (data: unknown) => ValidationResult {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  return (data) => {
    const valid = validate(data);
    return { valid, errors: valid ? [] : (validate.errors ?? []).map(describe) };
  };
}

/**
 * Names of the variables in `env` blocks of Kubernetes YAML or chart templates, including Helm helpers
 * whose name mentions env (`define "dxa.env.common"`); templated names (`{{ $name }}`) are skipped.
 */
export function kubernetesEnvNames(text: string): string[] {
  const names: string[] = [];
  let envIndent: number | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    const define = /\{\{-?\s*define\s+"([^"]+)"/.exec(line);
    if (define?.[1] !== undefined) {
      // A helper body has no `env:` parent; it lasts until the next define.
      envIndent = /env/i.test(define[1]) ? -1 : undefined;
      continue;
    }
    if (envIndent !== undefined && indent <= envIndent && !line.trimStart().startsWith('{{')) {
      envIndent = undefined;
    }
    if (/^\s*env:\s*$/.test(line)) {
      envIndent = indent;
      continue;
    }
    const item = /^\s*-\s+name:\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*$/.exec(line);
    if (envIndent !== undefined && item?.[1] !== undefined) names.push(item[1]);
  }
  return names;
}

/** Names of the variables in every service's `environment` of a docker-compose file (map or list form). */
export function composeEnvNames(text: string): string[] {
  const doc = parseYaml(text) as unknown;
  const services = isPlainObject(doc) && isPlainObject(doc.services) ? doc.services : {};
  const names: string[] = [];
  for (const service of Object.values(services)) {
    const environment = isPlainObject(service) ? service.environment : undefined;
    if (Array.isArray(environment)) {
      for (const entry of environment) names.push(String(entry).split('=')[0] ?? '');
    } else if (isPlainObject(environment)) {
      names.push(...Object.keys(environment));
    }
  }
  return names;
}

/** HTTP paths in YAML `path:` fields, `prometheus.io/path` annotations and http:// URLs. */
export function httpPathsIn(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split('\n')) {
    const field = /^\s*(?:-\s+)?(?:path|prometheus\.io\/path):\s*["']?([^"'\s]+)/.exec(line);
    if (field?.[1] !== undefined) paths.push(field[1]);
    for (const url of line.matchAll(/https?:\/\/[^/\s"']+(\/[^\s"'?#]*)/g)) {
      if (url[1] !== undefined) paths.push(url[1]);
    }
  }
  return paths;
}

/** The keys of a zod object in TypeScript source, e.g. `DXA_LOCK_DURATION_MS: positiveInt(…)`. */
const sourceEnvKeys = (file: string, pattern: RegExp): string[] =>
  [...readFileSync(`${REPO_ROOT}${file}`, 'utf8').matchAll(pattern)].map((m) => m[1] ?? '');

/**
 * Every environment variable the product reads: ENV_VARS, the worker's tuning variables and the
 * gateway's retry override. Read from the source so a renamed variable fails these checks.
 */
export function knownEnvNames(): Set<string> {
  return new Set([
    ...ENV_VARS.map((v) => v.name),
    ...sourceEnvKeys('apps/worker/src/env.ts', /^\s*(DXA_[A-Z0-9_]+):/gm),
    ...sourceEnvKeys('packages/queue/src/queues.ts', /env\.(DXA_[A-Z0-9_]+)/g),
  ]);
}
