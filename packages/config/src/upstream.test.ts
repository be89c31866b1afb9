import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { catchConfigError, tomlDir } from './test-helpers.js';

const files = tomlDir();
afterAll(() => files.cleanup());

/** The layout of the upstream README, with its values. */
const UPSTREAM = `
selected_task_source = "api"

[application]
max_parallel_tasks = 6
task_fetch_interval = 5
lease_refresh_interval = 120
debug_mode = false
affinity = "team-a,team-b"

[task_source.api]
key = "api-key-value"

[connections.source.sqlserver]
username = "username"
password = "password"
database = "database_name"
host = "127.0.0.1"
port = 1433
TrustServerCertificate = "yes"

[connections.target.snowflake_connection_name]
connection_name = "connection_name"

[connections.target.s3]
profile_name = "profile_name"
bucket_name = "bucket_name"
region_name = "eu-west-1"

[connections.target.blob]
connection_string = "DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=a2V5;EndpointSuffix=core.windows.net"
container_name = "container_name"
account_name = "storage_account_name"
use_default_credential = false
`;

describe('upstream configuration layout', () => {
  it('maps type-named tables onto named, typed connections', () => {
    const { config } = loadConfig({ file: files.write('upstream.toml', UPSTREAM), env: {} });
    expect(config.selected_task_source).toBe('api');
    expect(config.application).toMatchObject({
      workers: 6,
      affinity: ['team-a', 'team-b'],
      task_fetch_interval: 5,
    });
    expect(config.task_source.api.key).toBe('api-key-value');
    expect(config.connections.source.sqlserver).toMatchObject({
      type: 'sqlserver',
      host: '127.0.0.1',
      port: 1433,
      database: 'database_name',
      username: 'username',
      password: 'password',
      extra_options: { TrustServerCertificate: 'yes' },
    });
    expect(config.connections.target).toEqual({
      snowflake: { type: 'snowflake', connection_name: 'connection_name' },
    });
    expect(config.connections.stage.s3).toMatchObject({
      type: 's3',
      bucket_name: 'bucket_name',
      profile_name: 'profile_name',
      region: 'eu-west-1',
    });
    expect(config.connections.stage.blob).toMatchObject({
      type: 'azure_blob',
      container_name: 'container_name',
      account_name: 'storage_account_name',
    });
    expect(config.connections.stage.local).toBeUndefined();
  });

  it('turns [connections.target.snowflake_password] into the target "snowflake"', () => {
    const file = files.write(
      'sfpw.toml',
      '[connections.target.snowflake_password]\naccount = "acc"\nuser = "u"\npassword = "p"\nwarehouse = "wh"\nrole = "r"\n',
    );
    expect(loadConfig({ file, env: {} }).config.connections.target.snowflake).toEqual({
      type: 'snowflake',
      account: 'acc',
      user: 'u',
      password: 'p',
      warehouse: 'wh',
      role: 'r',
    });
  });

  it('infers the type of postgresql and teradata tables and still reports typos', () => {
    const file = files.write(
      'pg.toml',
      '[connections.source.postgresql]\ndatabase = "app"\n[connections.source.teradata]\nhost = "td"\n',
    );
    const { config } = loadConfig({ file, env: {} });
    expect(config.connections.source.postgresql).toMatchObject({ type: 'postgresql', port: 5432 });
    expect(config.connections.source.teradata).toMatchObject({ type: 'teradata', port: 1025 });
    const typo = files.write('typo.toml', '[connections.source.postgresql]\ndatabase = "app"\nprot = 5433\n');
    expect(catchConfigError(() => loadConfig({ file: typo, env: {} })).message).toBe(
      `${typo}: connections.source.postgresql: unknown key "prot" (did you mean "port"?)`,
    );
  });

  it('rejects an unknown selected_task_source and two definitions of the same target', () => {
    const bad = files.write('ts.toml', 'selected_task_source = "ftp"\n');
    expect(catchConfigError(() => loadConfig({ file: bad, env: {} })).message).toBe(
      `${bad}: selected_task_source: expected one of "api", "snowflake_stored_procedure", got "ftp"`,
    );
    const twice = files.write(
      'twice.toml',
      '[connections.target.snowflake]\ntype = "snowflake"\n[connections.target.snowflake_connection_name]\nconnection_name = "x"\n',
    );
    expect(catchConfigError(() => loadConfig({ file: twice, env: {} })).message).toBe(
      `${twice}: connections.target.snowflake_connection_name: more than one table defines the target "snowflake"`,
    );
  });
});
