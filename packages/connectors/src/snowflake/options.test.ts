import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TerminalError } from '@dxa/errors';
import { resolveConnection, type SnowflakeTargetConfig } from './options.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dxa-sf-options-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const target = (extra: Partial<SnowflakeTargetConfig>): SnowflakeTargetConfig => ({
  type: 'snowflake',
  ...extra,
});
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text, { mode: 0o600 });
  return p;
};
const env = (extra: NodeJS.ProcessEnv = {}) => ({ env: { SNOWFLAKE_HOME: dir, ...extra }, homeDir: dir });

function configError(fn: () => unknown): TerminalError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as TerminalError).code).toBe('CONFIG_ERROR');
    return err as TerminalError;
  }
  throw new Error('expected a CONFIG_ERROR');
}

describe('resolveConnection', () => {
  it('passes password authentication through and lists the password as a secret', () => {
    const r = resolveConnection(
      target({
        account: 'acme',
        user: 'loader',
        password: 'pw-123456',
        warehouse: 'WH',
        database: 'DB',
        schema: 'S',
      }),
      env(),
    );
    expect(r.options).toMatchObject({
      account: 'acme',
      username: 'loader',
      password: 'pw-123456',
      authenticator: 'SNOWFLAKE',
      warehouse: 'WH',
      database: 'DB',
      schema: 'S',
    });
    expect(r.secrets).toEqual(['pw-123456']);
    expect(r.label).toBe('account "acme" at https://acme.snowflakecomputing.com');
    expect(r.label).not.toContain('pw-123456');
  });

  it('names the missing credential', () => {
    expect(configError(() => resolveConnection(target({ account: 'a', user: 'u' }), env())).message).toMatch(
      /missing "password"/,
    );
    expect(configError(() => resolveConnection(target({ user: 'u', password: 'p' }), env())).message).toMatch(
      /missing "account"/,
    );
    expect(
      configError(() => resolveConnection(target({ account: 'a', password: 'p' }), env())).message,
    ).toMatch(/missing "user"/);
  });

  it('uses key pair authentication when a private key is configured, and checks the passphrase', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: 'open-sesame',
    });
    const keyFile = file('rsa_key.p8', pem.toString());
    const r = resolveConnection(
      target({ account: 'a', user: 'u', private_key_path: keyFile, private_key_passphrase: 'open-sesame' }),
      env(),
    );
    expect(r.options).toMatchObject({
      authenticator: 'SNOWFLAKE_JWT',
      privateKeyPath: keyFile,
      privateKeyPass: 'open-sesame',
    });
    expect(r.secrets).toContain('open-sesame');
    const wrong = configError(() =>
      resolveConnection(
        target({ account: 'a', user: 'u', private_key_path: keyFile, private_key_passphrase: 'nope-nope' }),
        env(),
      ),
    );
    expect(wrong.message).toMatch(/wrong passphrase/);
    expect(wrong.message).not.toContain('nope-nope');
    expect(
      configError(() =>
        resolveConnection(
          target({ account: 'a', user: 'u', private_key_path: path.join(dir, 'none') }),
          env(),
        ),
      ).message,
    ).toMatch(/cannot read the private key file .*none \(ENOENT\)/);
  });

  it('reads an OAuth token from token_file_path', () => {
    const tokenFile = file('token', '  tok-abcdef\n');
    const r = resolveConnection(target({ account: 'a', token_file_path: tokenFile }), env());
    expect(r.options).toMatchObject({ authenticator: 'OAUTH', token: 'tok-abcdef' });
    expect(r.options.username).toBeUndefined();
    expect(r.secrets).toEqual(['tok-abcdef']);
    file('empty', '\n');
    expect(
      configError(() =>
        resolveConnection(target({ account: 'a', token_file_path: path.join(dir, 'empty') }), env()),
      ).message,
    ).toMatch(/token file .* is empty/);
  });

  it('takes a named connection from connections.toml, with explicit keys overriding it', () => {
    file(
      'connections.toml',
      `[main]\naccount = "acme"\nuser = "file_user"\npassword = "file-pw"\nwarehouse = "FILE_WH"\nhost = "127.0.0.1"\nport = 8085\nprotocol = "http"\n`,
    );
    const r = resolveConnection(target({ connection_name: 'main', warehouse: 'OUR_WH' }), env());
    expect(r.options).toMatchObject({
      account: 'acme',
      username: 'file_user',
      password: 'file-pw',
      warehouse: 'OUR_WH',
      host: '127.0.0.1',
      port: 8085,
      protocol: 'http',
    });
    expect(r.label).toBe('account "acme" at http://127.0.0.1:8085');
  });

  it('falls back to [connections.<name>] in config.toml and maps private_key_file', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = file('k.p8', privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    file('connections.toml', `[other]\naccount = "x"\n`);
    file('config.toml', `[connections.etl]\naccount = "acme"\nuser = "u"\nprivate_key_file = "${keyFile}"\n`);
    const r = resolveConnection(target({ connection_name: 'etl' }), env());
    expect(r.options).toMatchObject({ authenticator: 'SNOWFLAKE_JWT', privateKeyPath: keyFile });
  });

  it('follows default_connection_name for "default"', () => {
    file(
      'config.toml',
      `default_connection_name = "prod"\n[connections.prod]\naccount = "acme"\nuser = "u"\npassword = "pw-prod"\n`,
    );
    expect(resolveConnection(target({ connection_name: 'default' }), env()).options.account).toBe('acme');
  });

  it('lists the files searched and the names found when a connection_name is unknown', () => {
    file('connections.toml', `[alpha]\naccount = "a"\n[beta]\naccount = "b"\n`);
    const err = configError(() => resolveConnection(target({ connection_name: 'gamma' }), env()));
    expect(err.message).toContain(`connection_name "gamma" not found`);
    expect(err.message).toContain(path.join(dir, 'connections.toml'));
    expect(err.message).toContain(`${path.join(dir, 'config.toml')} (missing)`);
    expect(err.message).toContain('connections found: alpha, beta');
  });

  it('reports invalid TOML without quoting the file', () => {
    file('connections.toml', `[main]\npassword = "secret-in-file\n`);
    const err = configError(() => resolveConnection(target({ connection_name: 'main' }), env()));
    expect(err.message).toMatch(/connections\.toml is not valid TOML/);
    expect(err.message).not.toContain('secret-in-file');
  });

  it('builds @SPCS_CONNECTION from the token file and the SPCS environment', () => {
    const tokenFile = file('spcs-token', 'spcs-token-value');
    const r = resolveConnection(
      target({ connection_name: '@SPCS_CONNECTION' }),
      env({
        DXA_SPCS_TOKEN_PATH: tokenFile,
        SNOWFLAKE_ACCOUNT: 'acme',
        SNOWFLAKE_HOST: 'acme.prod.snowflakecomputing.com',
        SNOWFLAKE_DATABASE: 'APPDB',
        SNOWFLAKE_SCHEMA: 'APP',
      }),
    );
    expect(r.options).toMatchObject({
      account: 'acme',
      host: 'acme.prod.snowflakecomputing.com',
      authenticator: 'OAUTH',
      token: 'spcs-token-value',
      database: 'APPDB',
      schema: 'APP',
    });
    const missing = configError(() =>
      resolveConnection(
        target({ connection_name: '@SPCS_CONNECTION' }),
        env({ DXA_SPCS_TOKEN_PATH: path.join(dir, 'no') }),
      ),
    );
    expect(missing.message).toMatch(/does not exist/);
  });

  it('passes access_url through and derives the account from a Snowflake host', () => {
    const r = resolveConnection(
      target({ account: 'fake', user: 'u', password: 'p', access_url: 'http://127.0.0.1:9' }),
      env(),
    );
    expect(r.options.accessUrl).toBe('http://127.0.0.1:9');
    expect(r.label).toBe('account "fake" at http://127.0.0.1:9');
    const h = resolveConnection(
      target({ host: 'xy123.eu-west-1.snowflakecomputing.com', user: 'u', password: 'p' }),
      env(),
    );
    expect(h.account).toBe('xy123');
  });
});
