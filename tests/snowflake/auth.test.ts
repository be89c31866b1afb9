import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnowflakeDestination, type DestinationConnector } from '@dxa/connectors/src/factories.js';
import { ctx, logger } from '@dxa/connectors/src/destinations/snowflake/test-support.js';
import type { SnowflakeTargetConfig } from '@dxa/connectors/src/snowflake/options.js';
import { TerminalError } from '@dxa/errors';
import type { SnowflakeFake } from '../fakes/snowflake/index.js';
import { PASSWORD, startFake, targetConfig, USER } from './support.js';

const PASSPHRASE = 'key-pass-phrase-1';
const OAUTH_TOKEN = 'oauth-token-abc123';
const SPCS_TOKEN = 'spcs-session-token-xyz';

let fake: SnowflakeFake;
let dir: string;
let privateKeyPath: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dxa-sf-auth-'));
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE },
  });
  privateKeyPath = path.join(dir, 'rsa_key.p8');
  await writeFile(privateKeyPath, privateKey, { mode: 0o600 });
  fake = await startFake({
    users: {
      [USER]: { password: PASSWORD },
      keyed: { publicKeyPem: publicKey },
      oauth_user: { oauthToken: OAUTH_TOKEN },
      spcs_user: { oauthToken: SPCS_TOKEN },
    },
  });
});

afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Logs in with `conn` (resolved against `env`) and runs the check query. */
async function check(conn: SnowflakeTargetConfig, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const dest: DestinationConnector = createSnowflakeDestination(conn, logger, { env, homeDir: dir });
  try {
    await dest.check(ctx);
  } finally {
    await dest.close();
  }
}

const endpoint = (f: SnowflakeFake) => ({
  account: f.account,
  access_url: f.accessUrl,
  database: f.database,
  schema: f.schema,
});

describe('Snowflake authentication against the fake', () => {
  it('password', async () => {
    await expect(check(targetConfig(fake))).resolves.toBeUndefined();
  });

  it('a wrong password is a terminal error without the password in it', async () => {
    const err = await check(targetConfig(fake, { password: 'wrong-password-42' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as TerminalError).code).toBe('PERMISSION_DENIED');
    expect((err as Error).message).toMatch(
      /account "fake" at http:\/\/127\.0\.0\.1:\d+: log in failed \(390100/,
    );
    expect((err as Error).message).not.toContain('wrong-password-42');
  });

  it('key pair (SNOWFLAKE_JWT) with an encrypted private key', async () => {
    await expect(
      check({
        type: 'snowflake',
        ...endpoint(fake),
        user: 'keyed',
        private_key_path: privateKeyPath,
        private_key_passphrase: PASSPHRASE,
      }),
    ).resolves.toBeUndefined();
  });

  it('OAuth token file', async () => {
    const tokenFile = path.join(dir, 'oauth-token');
    await writeFile(tokenFile, `${OAUTH_TOKEN}\n`, { mode: 0o600 });
    await expect(
      check({ type: 'snowflake', ...endpoint(fake), token_file_path: tokenFile }),
    ).resolves.toBeUndefined();
  });

  it('connection_name from $SNOWFLAKE_HOME/connections.toml', async () => {
    const snowflakeHome = await mkdtemp(path.join(dir, 'home-'));
    await writeFile(
      path.join(snowflakeHome, 'connections.toml'),
      `[dev]\naccount = "${fake.account}"\nuser = "${USER}"\npassword = "${PASSWORD}"\nwarehouse = "WH"\n` +
        `database = "${fake.database}"\nschema = "${fake.schema}"\n`,
      { mode: 0o600 },
    );
    // The endpoint is ours (the file would name a real host); the rest comes from the file.
    await expect(
      check(
        { type: 'snowflake', connection_name: 'dev', access_url: fake.accessUrl },
        { SNOWFLAKE_HOME: snowflakeHome },
      ),
    ).resolves.toBeUndefined();
    const missing = await check(
      { type: 'snowflake', connection_name: 'prod' },
      { SNOWFLAKE_HOME: snowflakeHome },
    ).catch((e: unknown) => e);
    expect((missing as TerminalError).code).toBe('CONFIG_ERROR');
    expect((missing as Error).message).toContain('connections found: dev');
  });

  it('@SPCS_CONNECTION with the session token file and the SPCS environment', async () => {
    const tokenFile = path.join(dir, 'spcs-token');
    await writeFile(tokenFile, SPCS_TOKEN, { mode: 0o600 });
    await expect(
      check(
        { type: 'snowflake', connection_name: '@SPCS_CONNECTION', access_url: fake.accessUrl },
        {
          DXA_SPCS_TOKEN_PATH: tokenFile,
          SNOWFLAKE_ACCOUNT: fake.account,
          SNOWFLAKE_HOST: '127.0.0.1',
          SNOWFLAKE_DATABASE: fake.database,
          SNOWFLAKE_SCHEMA: fake.schema,
        },
      ),
    ).resolves.toBeUndefined();
  });
});
