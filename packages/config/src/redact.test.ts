import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { redact, secretValues } from './redact.js';
import { tomlDir } from './test-helpers.js';

const files = tomlDir();
afterAll(() => files.cleanup());

const TOML = `
[redis]
url = "redis://default:r%40dis-pw@127.0.0.1:6379/0"
[task_source.api]
key = "api-key-1"
[connections.source.pg]
type = "postgresql"
database = "app"
password = "pg-pw-1"
extra_options = { application_name = "dxa", Password = "extra-pw-1" }
[connections.stage.s3]
type = "s3"
bucket_name = "b"
access_key_id = "AKIA-ID-1"
secret_access_key = "aws-secret-1"
[connections.stage.blob]
type = "azure_blob"
container_name = "c"
connection_string = "DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=azure-key-1==;EndpointSuffix=core.windows.net"
[connections.target.sf]
type = "snowflake"
account = "acc"
user = "sf-user"
password = "sf-pw-1"
private_key_passphrase = "pass-phrase-1"
`;

const { config } = loadConfig({ file: files.write('secrets.toml', TOML), env: {} });

describe('secretValues', () => {
  it('lists every secret of the loaded config, and nothing else', () => {
    expect(new Set(secretValues(config))).toEqual(
      new Set([
        'r%40dis-pw',
        'r@dis-pw',
        'api-key-1',
        'pg-pw-1',
        'extra-pw-1',
        'AKIA-ID-1',
        'aws-secret-1',
        config.connections.stage.blob?.type === 'azure_blob'
          ? config.connections.stage.blob.connection_string
          : '',
        'azure-key-1==',
        'sf-pw-1',
        'pass-phrase-1',
      ]),
    );
  });
});

describe('redact', () => {
  it('masks secret() fields, secret-looking keys and URL credentials, without touching the input', () => {
    const out = JSON.stringify(redact(config));
    for (const secret of secretValues(config)) expect(out).not.toContain(secret);
    expect(redact(config)).toMatchObject({
      redis: { url: 'redis://default:***@127.0.0.1:6379/0' },
      task_source: { api: { key: '***' } },
      connections: {
        source: {
          pg: {
            password: '***',
            database: 'app',
            extra_options: { application_name: 'dxa', Password: '***' },
          },
        },
        stage: {
          s3: { access_key_id: '***', bucket_name: 'b' },
          blob: { connection_string: '***', use_default_credential: false },
        },
        target: { sf: { user: 'sf-user', password: '***', private_key_passphrase: '***' } },
      },
    });
    expect(config.connections.source.pg).toMatchObject({ password: 'pg-pw-1' });
  });

  it('masks by key name in any value', () => {
    const value = {
      headers: { Authorization: 'Bearer abc' },
      apiKey: 'k',
      AUTH_TOKEN: 't',
      connectionString: 'x',
      credentials: { a: 1 },
      rows: 3,
      list: [{ secret: 's' }],
    };
    expect(redact(value)).toEqual({
      headers: { Authorization: '***' },
      apiKey: '***',
      AUTH_TOKEN: '***',
      connectionString: '***',
      credentials: '***',
      rows: 3,
      list: [{ secret: '***' }],
    });
  });
});
