import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema, loadConfig } from '@dxa/config';
import { QUEUE_NAME_PREFIX } from '@dxa/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHART_DIR,
  PROBE_PATHS,
  REPO_ROOT,
  helmMerge,
  httpPathsIn,
  knownEnvNames,
  kubernetesEnvNames,
  readYaml,
  schemaValidator,
  type PlainObject,
} from './schema.js';

const validate = schemaValidator(`${CHART_DIR}values.schema.json`);
const defaults = readYaml(`${CHART_DIR}values.yaml`) as PlainObject;
const ciDir = `${REPO_ROOT}helm/ci/`;
const ciFiles = readdirSync(ciDir).filter((f) => f.endsWith('.yaml'));
/** Each CI file as Helm sees it: merged over values.yaml. */
const valueSets: [string, PlainObject][] = [
  ['values.yaml', defaults],
  ...ciFiles.map((f): [string, PlainObject] => [f, helmMerge(defaults, readYaml(ciDir + f)) as PlainObject]),
];
const templateDir = `${CHART_DIR}templates/`;
const templates = readdirSync(templateDir)
  .filter((f) => f.endsWith('.yaml') || f.endsWith('.tpl'))
  .map((f) => ({ file: f, text: readFileSync(templateDir + f, 'utf8') }));
const template = (file: string) => templates.find((t) => t.file === file)?.text ?? '';
const schema = JSON.parse(readFileSync(`${CHART_DIR}values.schema.json`, 'utf8')) as {
  properties: Record<string, { propertyNames?: { enum: string[] }; properties?: Record<string, unknown> }>;
};

type Pool = { name: string; affinity: string };
const pools = (values: PlainObject) => values.workerPools as Pool[];
const clone = (v: PlainObject) => structuredClone(v);
const firstPool = (v: PlainObject) => (v.workerPools as PlainObject[])[0] as PlainObject;

describe('values validate against values.schema.json', () => {
  it('has at least two CI values files', () => {
    expect(ciFiles.length).toBeGreaterThanOrEqual(2);
  });

  it.each(valueSets)('%s is valid', (_name, values) => {
    expect(validate(values).errors).toEqual([]);
  });

  it('the CI files cover KEDA with two pools and an external Redis', () => {
    const keda = valueSets.find(([, v]) => (v.keda as PlainObject).enabled === true && pools(v).length >= 2);
    expect(keda && pools(keda[1]).map((p) => p.affinity)).toEqual(['blue', 'green']);
    const external = valueSets.filter(([, v]) => {
      const keys = (v.secrets as PlainObject).keys as PlainObject;
      return ((v.redis as PlainObject).external as PlainObject).url !== '' || 'REDIS_URL' in keys;
    });
    expect(external.length).toBeGreaterThanOrEqual(1);
  });

  it.each(valueSets)('%s has unique pool names', (_name, values) => {
    const names = pools(values).map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('broken values are rejected, naming the path', () => {
  const cases: [string, (v: PlainObject) => void, RegExp][] = [
    ['unknown top-level key', (v) => (v.replicaCount = 3), /^\(root\) .*\(replicaCount\)/],
    ['unknown pool key', (v) => (firstPool(v).cpu = 2), /^\/workerPools\/0 .*\(cpu\)/],
    [
      'replicas as a string',
      (v) => (firstPool(v).replicas = '2'),
      /^\/workerPools\/0\/replicas must be integer/,
    ],
    [
      'invalid affinity label',
      (v) => (firstPool(v).affinity = 'blue pool'),
      /^\/workerPools\/0\/affinity must match/,
    ],
    [
      'missing pool name',
      (v) => delete firstPool(v).name,
      /^\/workerPools\/0 must have required property 'name'/,
    ],
    [
      'concurrency of 0',
      (v) => (firstPool(v).concurrency = 0),
      /^\/workerPools\/0\/concurrency must be >= 1/,
    ],
    ['no worker pools', (v) => (v.workerPools = []), /^\/workerPools must NOT have fewer than 1 items/],
    [
      'a password inlined as a plain env var',
      (v) => (v.env = { DATA_SOURCE_PASSWORD: 'hunter2-inline' }),
      /^\/env .*\(DATA_SOURCE_PASSWORD\)/,
    ],
    [
      'a secret value where the Secret name goes',
      (v) => ((v.secrets as PlainObject).existingSecret = 'hunter2-Inline!'),
      /^\/secrets\/existingSecret must match pattern/,
    ],
    [
      'a Redis URL where the Secret key goes',
      (v) => ((v.secrets as PlainObject).keys = { REDIS_URL: 'redis://:hunter2-inline@redis:6379' }),
      /^\/secrets\/keys\/REDIS_URL must match pattern/,
    ],
    [
      'a password in redis.external.url',
      (v) => (((v.redis as PlainObject).external as PlainObject).url = 'redis://:hunter2-inline@redis:6379'),
      /^\/redis\/external\/url must match pattern/,
    ],
    [
      'no API key (the gateway would listen on loopback only)',
      (v) => ((v.secrets as PlainObject).keys = { REDIS_URL: 'redis-url' }),
      /^\/secrets\/keys must have required property 'DXA_API_KEY'/,
    ],
    [
      'no Secret name',
      (v) => ((v.secrets as PlainObject).existingSecret = ''),
      /^\/secrets\/existingSecret must NOT have fewer than 1 characters/,
    ],
    [
      'an unknown log level',
      (v) => (v.logLevel = 'verbose'),
      /^\/logLevel must be equal to one of the allowed/,
    ],
    [
      'a fractional drain deadline',
      (v) => ((v.worker as PlainObject).drainSeconds = 1.5),
      /^\/worker\/drainSeconds must be integer/,
    ],
  ];

  it.each(cases)('%s', (_name, breakIt, expected) => {
    const broken = clone(defaults);
    breakIt(broken);
    const { valid, errors } = validate(broken);
    expect(valid).toBe(false);
    expect(
      errors.some((e) => expected.test(e)),
      errors.join('\n'),
    ).toBe(true);
    // The errors name where the value is, never the value itself.
    expect(errors.join('\n')).not.toContain('hunter2');
  });
});

describe('templates use only variables and paths the product knows', () => {
  const known = knownEnvNames();

  it('knows the tuning variables from the worker and gateway sources', () => {
    for (const name of [
      'DXA_LOCK_DURATION_MS',
      'DXA_PARTITION_CONCURRENCY',
      'DXA_RETRY_BACKOFF_MS',
      'REDIS_URL',
    ]) {
      expect(known).toContain(name);
    }
  });

  it('every env var a template sets is one the product reads', () => {
    const names = templates.flatMap((t) => kubernetesEnvNames(t.text));
    expect(names).toEqual(
      expect.arrayContaining(['DXA_CONFIG', 'REDIS_URL', 'DXA_SHUTDOWN_TIMEOUT_SECONDS']),
    );
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });

  it('every env var the values may add (plain or from the Secret) is one the product reads', () => {
    const plain = schema.properties.env?.propertyNames?.enum ?? [];
    const secrets = schema.properties.secrets?.properties?.keys as { propertyNames: { enum: string[] } };
    const names = [...plain, ...secrets.propertyNames.enum];
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    expect(plain).not.toContain('DATA_SOURCE_PASSWORD');
    expect(plain).not.toContain('SNOWFLAKE_PASSWORD');
    expect(plain).not.toContain('DXA_API_KEY');
  });

  it('every probe and scrape path is one the gateway or worker serves', () => {
    const paths = templates.flatMap((t) => httpPathsIn(t.text));
    expect(paths).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics']));
    expect(paths.filter((p) => !PROBE_PATHS.includes(p))).toEqual([]);
  });

  it.each(['gateway-deployment.yaml', 'worker-deployment.yaml'])(
    '%s probes liveness /healthz, readiness /readyz',
    (f) => {
      const text = template(f);
      expect(text).toMatch(/livenessProbe:\s*\n\s*httpGet:\s*\n\s*path: \/healthz/);
      expect(text).toMatch(/readinessProbe:\s*\n\s*httpGet:\s*\n\s*path: \/readyz/);
    },
  );

  it('no template carries secret data; credentials come through secretKeyRef', () => {
    const all = templates.map((t) => t.text).join('\n');
    expect(all).not.toMatch(/kind:\s*Secret\b/);
    expect(all).not.toContain('stringData:');
    // The only `data:` is the ConfigMap's configuration file.
    expect(templates.filter((t) => /^data:/m.test(t.text)).map((t) => t.file)).toEqual(['configmap.yaml']);
    expect(template('_helpers.tpl')).toMatch(/secretKeyRef:\s*\n\s*name: \{\{ \$secret \}\}/);
  });
});

describe('the chart matches the product', () => {
  const productDefaults = ConfigSchema.parse({});

  it('the worker runs `worker --affinity --concurrency --health-port` and outlives its drain deadline', () => {
    const text = template('worker-deployment.yaml');
    expect(text).toMatch(/- worker\s+- --affinity\s+- \{\{ \$pool\.affinity/);
    expect(text).toMatch(/- --concurrency\s+- \{\{ \$pool\.concurrency/);
    expect(text).toMatch(/- --health-port\s+- \{\{ \$\.Values\.worker\.healthPort/);
    expect(text).toMatch(/name: DXA_SHUTDOWN_TIMEOUT_SECONDS\s+value: \{\{ \$\.Values\.worker\.drainSeconds/);
    expect(text).toMatch(
      /terminationGracePeriodSeconds: \{\{ add \$\.Values\.worker\.drainSeconds \$\.Values\.worker\.terminationGraceMarginSeconds/,
    );
    expect(defaults.worker).toMatchObject({
      drainSeconds: productDefaults.application.shutdown_timeout_seconds,
    });
  });

  it("KEDA reads BullMQ's waiting list of the pool's queue under the configured prefix", () => {
    expect(QUEUE_NAME_PREFIX).toBe('exchange.');
    expect(template('worker-autoscaling.yaml')).toContain(
      'listName: {{ printf "%s:exchange.%s:wait" $.Values.redis.prefix $pool.affinity | quote }}',
    );
    expect((defaults.redis as PlainObject).prefix).toBe(productDefaults.redis.prefix);
  });

  it('the gateway runs `gateway --port` and the Service targets it', () => {
    expect(template('gateway-deployment.yaml')).toContain(
      'args: ["gateway", "--port", {{ .Values.gateway.port | int64 | quote }}]',
    );
    expect(template('gateway-service.yaml')).toContain('targetPort: http');
  });

  it('the bundled Redis keeps every key: append-only, noeviction', () => {
    expect(template('redis.yaml')).toMatch(/"--appendonly", "yes", "--maxmemory-policy", "noeviction"/);
  });

  it('NOTES.txt shows how to port-forward and submit a first job', () => {
    const notes = readFileSync(`${templateDir}NOTES.txt`, 'utf8');
    expect(notes).toContain('kubectl --namespace {{ .Release.Namespace }} port-forward svc/');
    expect(notes).toMatch(/curl -s -X POST http:\/\/127\.0\.0\.1:8080\/v1\/jobs/);
  });

  it('Chart.yaml is a v2 application chart named dxa', () => {
    expect(readYaml(`${CHART_DIR}Chart.yaml`)).toMatchObject({
      apiVersion: 'v2',
      name: 'dxa',
      type: 'application',
    });
  });

  describe('config.toml of every values set loads as the pods would load it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dxa-helm-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(valueSets)('%s', (name, values) => {
      const file = join(dir, `${name}.toml`);
      writeFileSync(file, ((values.config as PlainObject).toml as string) ?? '');
      const secretKeys = Object.keys((values.secrets as PlainObject).keys as PlainObject);
      const env: NodeJS.ProcessEnv = {
        ...Object.fromEntries(
          Object.entries((values.env as PlainObject | undefined) ?? {}).map(([k, v]) => [k, String(v)]),
        ),
        // Placeholders for the Secret's values; REDIS_URL must still look like a URL.
        ...Object.fromEntries(
          secretKeys.map((k) => [k, k === 'REDIS_URL' ? 'redis://redis:6379' : 'placeholder']),
        ),
        DXA_REDIS_PREFIX: (values.redis as PlainObject).prefix as string,
        // What the chart's common env sets for every pod.
        DXA_HOST: '0.0.0.0',
      };
      const { config } = loadConfig({ file, env });
      // Probes and the Service reach the pod IP, so the servers must not bind loopback.
      expect(config.server.host).toBe('0.0.0.0');
      expect(config.redis.prefix).toBe((values.redis as PlainObject).prefix);
    });
  });
});
