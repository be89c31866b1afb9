import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  PG_HOST,
  PG_PORT,
  PG_USER,
  createTestDatabase,
  runDxa,
  startAzurite,
  startS3rver,
  type AzuriteFixture,
  type DxaProcess,
  type S3rverFixture,
  type TestDatabase,
} from '@dxa/testing';
import { startSnowflakeFake, type SnowflakeFake } from '../fakes/snowflake/index.js';
import { createOrdersTable } from './fixtures.js';
import { createStack, type Stack } from './harness.js';

const ROWS = 300;
const CONTAINER = 'dxa-secrets';
const BUCKET = 'dxa-secrets';
const API_KEY = 'api-Secret-Hotel-9999';

/** Distinct, greppable values; each reaches the processes as an environment variable, as secrets normally do. */
const FIXED_SECRETS = {
  E2E_PG_SOURCE_PW: 'pg-Secret-Alpha-1111',
  E2E_PG_TARGET_PW: 'pg-Secret-Target-1212',
  E2E_PG_BAD_USER_PW: 'pg-Secret-BadUser-1313',
  E2E_PG_DOWN_PW: 'pg-Secret-DownPort-1414',
  E2E_S3_SECRET: 's3-Secret-Charlie-3333',
  E2E_S3_BAD_KEY_ID: 'AKIA-Wrong-Bravo-2222',
  E2E_S3_BAD_SECRET: 's3-Secret-BadDelta-4444',
  E2E_SF_PASSWORD: 'sf-Secret-Echo-5555',
  E2E_SF_BAD_PASSWORD: 'sf-Secret-BadFoxtrot-6666',
  E2E_SF_PASSPHRASE: 'sf-Secret-Passphrase-7777',
  E2E_SF_BAD_PASSPHRASE: 'sf-Secret-BadGolf-8888',
  E2E_AZ_KEY: AZURITE_ACCOUNT_KEY,
  E2E_AZ_BAD_KEY: Buffer.from('az-Secret-BadKey-India-0000'.padEnd(64, '#')).toString('base64'),
  E2E_API_KEY: API_KEY,
};

/** Forms a secret could take on its way into text: as is, percent-encoded, base64 and base64url. */
function forms(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  const base64url = secret.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return [...new Set([secret, encodeURIComponent(secret), base64, base64url])];
}

/** `<secret name> (<form>) in <where>: …context…` for each secret form found in `text`. */
function leaks(secrets: Record<string, string>, where: string, text: string): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(secrets))
    for (const form of forms(value)) {
      const at = text.indexOf(form);
      if (at >= 0)
        found.push(`${name} (${form}) in ${where}: …${text.slice(Math.max(0, at - 80), at + 80)}…`);
    }
  return found;
}

function freePortThenClose(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

type Settings = Record<string, string | number | boolean>;

/** A `${NAME}` reference: the configuration names the variable, the process environment holds the secret. */
type SecretVar = keyof typeof FIXED_SECRETS | 'E2E_AZ_CONN' | 'E2E_AZ_BAD_CONN' | 'E2E_AZ_SAS';
const ref = (name: SecretVar) => `\${${name}}`;

/** `[connections.<role>.<name>]` tables, keyed `<role>.<name>`. */
function connectionsToml(connections: Record<string, Settings>): string {
  return Object.entries(connections)
    .map(([key, settings]) => {
      const lines = Object.entries(settings).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
      return `[connections.${key}]\n${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** The harness configures these itself: source pg_main, stage local, target warehouse (DuckDB). */
const HARNESS_CONNECTIONS = ['source.pg_main', 'stage.local', 'target.warehouse'];
/** Connections named `*bad*` or `*down*` are the ones meant to fail. */
const meantToFail = (key: string) => /bad|down/.test(key);
/** `connection "pg_down" (postgresql)` for `target.pg_down`: how errors name a connection. */
const named = (key: string, kinds: Record<string, string>) =>
  `connection "${key.split('.')[1]}" (${kinds[key]})`;

/** A failing run names the connection that failed: `<role>.<name>` of the culprit. */
type Run = {
  stage: string;
  target: string;
  source?: string;
  format?: string;
  expect: string;
  culprit?: string;
};

/** Good pairings complete; each bad connection fails its job with the code it deserves. */
const RUNS: Run[] = [
  { stage: 's3', target: 'sf', expect: 'completed' },
  { stage: 'az_conn', target: 'pg_target', format: 'csv', expect: 'completed' },
  { stage: 'az_key', target: 'pg_target', expect: 'completed' },
  { stage: 'az_sas', target: 'pg_target', expect: 'completed' },
  { stage: 'sf_stage', target: 'sf', expect: 'completed' },
  { stage: 'local', target: 'sf_keypair', expect: 'completed' },
  {
    source: 'pg_bad_user',
    stage: 'local',
    target: 'warehouse',
    expect: 'PERMISSION_DENIED',
    culprit: 'source.pg_bad_user',
  },
  {
    source: 'my_down',
    stage: 'local',
    target: 'warehouse',
    expect: 'CONNECTION_FAILED',
    culprit: 'source.my_down',
  },
  { stage: 's3_bad', target: 'pg_target', expect: 'STAGE_ERROR', culprit: 'stage.s3_bad' },
  { stage: 'az_bad_key', target: 'pg_target', expect: 'STAGE_ERROR', culprit: 'stage.az_bad_key' },
  { stage: 'az_bad_conn', target: 'pg_target', expect: 'STAGE_ERROR', culprit: 'stage.az_bad_conn' },
  { stage: 'sf_stage_bad', target: 'sf', expect: 'PERMISSION_DENIED', culprit: 'stage.sf_stage_bad' },
  { stage: 'local', target: 'pg_down', expect: 'CONNECTION_FAILED', culprit: 'target.pg_down' },
  { stage: 'local', target: 'duck_bad', expect: 'LOAD_ERROR', culprit: 'target.duck_bad' },
  {
    stage: 'local',
    target: 'sf_bad_password',
    expect: 'PERMISSION_DENIED',
    culprit: 'target.sf_bad_password',
  },
  {
    stage: 'local',
    target: 'sf_bad_passphrase',
    expect: 'CONFIG_ERROR',
    culprit: 'target.sf_bad_passphrase',
  },
];

describe('secrets stay out of logs, job views and errors, for good and failing connections', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let s3: S3rverFixture;
  let azurite: AzuriteFixture;
  let fake: SnowflakeFake;
  let stack: Stack;
  let secrets: Record<string, string>;
  let privateKeyLine: string;
  let keyDir: string;
  let configured: string[];
  /** `<role>.<name>` → connection type, for the names errors must carry. */
  let kinds: Record<string, string>;

  beforeAll(async () => {
    source = await createTestDatabase('secsrc');
    target = await createTestDatabase('secdst');
    await createOrdersTable(source, 'public.orders', ROWS);
    [s3, azurite] = await Promise.all([startS3rver(), startAzurite()]);
    await Promise.all([s3.bucket(BUCKET), azurite.createContainer(CONTAINER)]);
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: {
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: FIXED_SECRETS.E2E_SF_PASSPHRASE,
      },
    });
    privateKeyLine = privateKey.split('\n')[1]!;
    keyDir = mkdtempSync(join(tmpdir(), 'dxa-secrets-key-'));
    const keyFile = join(keyDir, 'rsa_key.p8');
    writeFileSync(keyFile, privateKey, { mode: 0o600 });
    fake = await startSnowflakeFake({
      users: { loader: { password: FIXED_SECRETS.E2E_SF_PASSWORD }, robot: { publicKeyPem: publicKey } },
      s3Endpoint: s3.endpoint,
    });
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        permissions: ContainerSASPermissions.parse('racwdl'),
        expiresOn: new Date(Date.now() + 60 * 60 * 1000),
      },
      new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
    );
    const badConn = azurite.connectionString.replace(AZURITE_ACCOUNT_KEY, FIXED_SECRETS.E2E_AZ_BAD_KEY);
    secrets = {
      ...FIXED_SECRETS,
      E2E_AZ_CONN: azurite.connectionString,
      E2E_AZ_BAD_CONN: badConn,
      E2E_AZ_SAS: sas.toString(),
      // The signature is the secret part of a SAS; the SDK may carry it decoded or percent-encoded.
      SAS_SIGNATURE: sas.signature,
    };
    const pg = (database: string, username: string, password: SecretVar, port = PG_PORT) => ({
      type: 'postgresql',
      host: PG_HOST,
      port,
      database,
      username,
      password: ref(password),
    });
    const s3Stage = (keyId: string, secret: SecretVar) => ({
      type: 's3',
      bucket_name: BUCKET,
      prefix: 'runs',
      endpoint: s3.endpoint,
      force_path_style: true,
      access_key_id: keyId,
      secret_access_key: ref(secret),
    });
    const azure = (auth: Settings) => ({
      type: 'azure_blob',
      container_name: CONTAINER,
      prefix: 'runs',
      ...auth,
    });
    const azureAccount = (auth: Settings) =>
      azure({ account_name: AZURITE_ACCOUNT_NAME, endpoint: azurite.blobEndpoint, ...auth });
    const snowflake = (user: string, auth: Settings) => ({
      type: 'snowflake',
      account: fake.account,
      user,
      access_url: fake.accessUrl,
      warehouse: 'WH',
      database: fake.database,
      schema: fake.schema,
      ...auth,
    });
    const keyPair = (passphrase: SecretVar) => ({
      private_key_path: keyFile,
      private_key_passphrase: ref(passphrase),
    });
    const connections: Record<string, Settings> = {
      'source.pg_src': pg(source.name, PG_USER, 'E2E_PG_SOURCE_PW'),
      // Local PostgreSQL trusts every password, but not a role that does not exist.
      'source.pg_bad_user': pg(source.name, 'dxa_no_such_user', 'E2E_PG_BAD_USER_PW'),
      'stage.s3': s3Stage(s3.accessKeyId, 'E2E_S3_SECRET'),
      // s3rver checks the access key id only, so that is what is wrong here.
      'stage.s3_bad': s3Stage(ref('E2E_S3_BAD_KEY_ID'), 'E2E_S3_BAD_SECRET'),
      'stage.az_conn': azure({ connection_string: ref('E2E_AZ_CONN') }),
      'stage.az_bad_conn': azure({ connection_string: ref('E2E_AZ_BAD_CONN') }),
      'stage.az_key': azureAccount({ account_key: ref('E2E_AZ_KEY') }),
      'stage.az_sas': azureAccount({ sas_token: ref('E2E_AZ_SAS') }),
      'stage.az_bad_key': azureAccount({ account_key: ref('E2E_AZ_BAD_KEY') }),
      'stage.sf_stage': { type: 'snowflake_stage', connection: 'sf', stage: '@~/secrets' },
      'stage.sf_stage_bad': { type: 'snowflake_stage', connection: 'sf_bad_password', stage: '@~/secrets' },
      'target.pg_target': pg(target.name, PG_USER, 'E2E_PG_TARGET_PW'),
      'target.pg_down': pg(target.name, PG_USER, 'E2E_PG_DOWN_PW', await freePortThenClose()),
      'source.my_down': { type: 'mysql', host: '127.0.0.1', port: await freePortThenClose(), database: 'x' },
      // A DuckDB file under a regular file: no folder can be made for it.
      'target.duck_bad': { type: 'duckdb', path: join(keyFile, 'warehouse.duckdb') },
      'target.sf': snowflake('loader', { password: ref('E2E_SF_PASSWORD') }),
      'target.sf_bad_password': snowflake('loader', { password: ref('E2E_SF_BAD_PASSWORD') }),
      'target.sf_keypair': snowflake('robot', keyPair('E2E_SF_PASSPHRASE')),
      'target.sf_bad_passphrase': snowflake('robot', keyPair('E2E_SF_BAD_PASSPHRASE')),
    };
    configured = [...HARNESS_CONNECTIONS, ...Object.keys(connections)];
    kinds = {
      'source.pg_main': 'postgresql',
      'stage.local': 'local',
      'target.warehouse': 'duckdb',
      ...Object.fromEntries(
        Object.entries(connections).map(([key, settings]) => [key, String(settings.type)]),
      ),
    };
    stack = createStack({ database: source.name, apiKey: API_KEY, extraToml: connectionsToml(connections) });
  });

  afterAll(async () => {
    await stack?.stop();
    await fake?.close();
    await s3?.stop();
    await azurite?.stop();
    await source?.drop();
    await target?.drop();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  const processEnv = () => ({ ...secrets, LOG_LEVEL: 'debug', AWS_EC2_METADATA_DISABLED: 'true' });

  it('test-connections prints one line per connection, ok or FAIL, exits 1, and leaks nothing', async () => {
    const res = await runDxa(['test-connections', '--config', stack.configFile], { env: processEnv() });
    expect(res.code, res.output).toBe(1);
    const lines = res.output.split('\n').filter((l) => /^(ok|FAIL) /.test(l));
    // Redis is checked too, then every connection once.
    expect(lines, res.output).toHaveLength(configured.length + 1);
    expect(lines[0]).toMatch(/^ok +redis/);
    for (const key of configured) {
      const [role, name] = key.split('.');
      const label = `${role} ${named(key, kinds)}`;
      const mine = lines.filter((l) => l.replace(/^(ok|FAIL) +/, '').startsWith(label));
      expect(mine, `${key} (${label})\n${res.output}`).toHaveLength(1);
      expect(mine[0]!.startsWith(meantToFail(key) ? 'FAIL ' : 'ok '), mine[0]).toBe(true);
      expect(mine[0]!.split(`connection "${name}"`).length - 1, `named once: ${mine[0]}`).toBe(1);
    }
    // The debug log was written, so the absence below covers it.
    expect(res.output).toMatch(/"level":"debug"/);
    expect(leaks(secrets, 'test-connections output', res.output)).toEqual([]);
    expect(res.output).not.toContain(privateKeyLine);
  });

  it('jobs through good connections complete, through bad ones fail, and no secret shows anywhere', async () => {
    const env = processEnv();
    const gateway: DxaProcess = await stack.startGateway({ env: { ...env, DXA_RETRY_BACKOFF_MS: '100' } });
    const { proc: worker } = await stack.startWorker('default', { env, concurrency: 8 });
    const auth = { authorization: `Bearer ${API_KEY}` };

    const submitted = await Promise.all(
      RUNS.map(async (run, i) => {
        const table = `orders_${i}_${run.target}`;
        const res = await stack.api('POST', '/v1/jobs', {
          type: 'migrate',
          source: { connection: run.source ?? 'pg_src', table: 'public.orders' },
          stage: { connection: run.stage, path: table },
          format: run.format ?? 'parquet',
          target: {
            connection: run.target,
            table: run.target.startsWith('pg') ? `public.${table}` : table,
            mode: 'replace',
          },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        const id = res.body.id!;
        // Followed from submission to the end: every state and progress event the stream sends.
        const events = fetch(`${stack.gatewayUrl}/v1/jobs/${id}/events`, {
          headers: auth,
          signal: AbortSignal.timeout(150_000),
        }).then((r) => r.text());
        return { run, id, events };
      }),
    );

    for (const { run, id, events } of submitted) {
      const view = await stack.waitForState(id, ['completed', 'failed', 'cancelled'], 150_000);
      const label = `${run.source ?? 'pg_src'} → ${run.stage} → ${run.target}`;
      if (run.expect === 'completed') {
        expect(view.state, `${label}: ${JSON.stringify(view.error)}`).toBe('completed');
        expect(view.result?.extract?.rows, label).toBe(ROWS);
      } else {
        expect(view.state, label).toBe('failed');
        expect(view.error?.code, `${label}: ${view.error?.message}`).toBe(run.expect);
        expect(view.error?.message.length, label).toBeGreaterThan(10);
        // Among many connections, the error says which one failed, with its kind.
        expect(view.error?.message, label).toContain(named(run.culprit!, kinds));
        // The log is JSON: its quotes are escaped.
        const inLog = JSON.stringify(named(run.culprit!, kinds)).slice(1, -1);
        expect(worker.output(), `worker log of ${label}`).toContain(inLog);
        expect(leaks(secrets, `error of ${label}`, view.error?.message ?? '')).toEqual([]);
      }
      expect(leaks(secrets, `view of ${label}`, JSON.stringify(view))).toEqual([]);
      const stream = await events;
      expect(stream, label).toMatch(/^event: (completed|failed)$/m);
      expect(leaks(secrets, `events of ${label}`, stream)).toEqual([]);
    }

    const list = await stack.api('GET', '/v1/jobs?limit=100');
    expect(list.status).toBe(200);
    expect((list.body.jobs as unknown[]).length).toBe(RUNS.length);
    const workers = await stack.api('GET', '/v1/workers');
    expect(workers.status).toBe(200);
    // The worker logged at debug level, the stages' per-file lines too, so the scan below means something.
    expect(worker.output()).toMatch(/"level":"debug"/);
    expect(worker.output()).toMatch(/staged file/);
    expect(gateway.output()).toMatch(/gateway listening/);
    const texts: [string, string][] = [
      ['GET /v1/jobs', JSON.stringify(list.body)],
      ['GET /v1/workers', JSON.stringify(workers.body)],
      ['worker output', worker.output()],
      ['gateway output', gateway.output()],
    ];
    for (const [where, text] of texts) {
      expect(leaks(secrets, where, text)).toEqual([]);
      expect(text).not.toContain(privateKeyLine);
    }
  });
});
