import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { catchConfigError, tomlDir } from './test-helpers.js';

const files = tomlDir();
afterAll(() => files.cleanup());

/** Loads `text` as a TOML file and returns the ConfigError with the file name replaced by F. */
function fail(text: string, env: NodeJS.ProcessEnv = {}) {
  const file = files.write('case.toml', text);
  const error = catchConfigError(() => loadConfig({ file, env }));
  return {
    message: error.message.replace(file, 'F'),
    file: error.file === file ? 'F' : error.file,
    key: error.key,
    expected: error.expected,
  };
}

const PG = '[connections.source.pg_main]\ntype = "postgresql"\ndatabase = "app"\n';

describe('configuration errors name the file, the key and what was expected', () => {
  it('wrong type or range', () => {
    expect(fail(`${PG}port = "abc"\n`)).toEqual({
      message: 'F: connections.source.pg_main.port: expected an integer from 1 to 65535, got "abc"',
      file: 'F',
      key: 'connections.source.pg_main.port',
      expected: 'an integer from 1 to 65535',
    });
    expect(fail('[application]\nworkers = 0\n').message).toBe(
      'F: application.workers: expected an integer from 1 to 256, got 0',
    );
    expect(fail('[application]\ndebug_mode = "maybe"\n').message).toBe(
      'F: application.debug_mode: expected true or false, got "maybe"',
    );
    expect(fail('[server]\nhost = 1\n').message).toBe('F: server.host: expected a non-empty string, got 1');
    expect(fail('connections = 3\n').message).toBe('F: connections: expected a table, got 3');
  });

  it('unknown enum values and connection types', () => {
    expect(fail(`${PG}sslmode = "always"\n`).message).toBe(
      'F: connections.source.pg_main.sslmode: expected one of "disable", "prefer", "require", "verify-full", got "always"',
    );
    expect(fail('[connections.stage.x]\ntype = "ftp"\n')).toMatchObject({
      message:
        'F: connections.stage.x.type: expected one of "local", "s3", "azure_blob", "snowflake_stage", got "ftp"',
      key: 'connections.stage.x.type',
    });
  });

  it('missing required keys', () => {
    expect(fail('[connections.source.pg_main]\ntype = "postgresql"\n')).toMatchObject({
      message: 'F: connections.source.pg_main.database: missing, expected a non-empty string',
      expected: 'a non-empty string',
    });
    expect(fail('[connections.source.x]\nhost = "h"\n').message).toBe(
      'F: connections.source.x.type: missing, expected one of "postgresql", "sqlserver", "teradata", "mysql"',
    );
  });

  it('unknown keys, with a suggestion when it looks like a typo', () => {
    expect(fail(`${PG}prot = 5432\n`)).toEqual({
      message: 'F: connections.source.pg_main: unknown key "prot" (did you mean "port"?)',
      file: 'F',
      key: 'connections.source.pg_main.prot',
      expected: 'one of type, host, port, database, username, password, sslmode, extra_options',
    });
    expect(fail('[colour]\nx = 1\n').message).toBe('F: unknown key "colour"');
  });

  it('TOML syntax errors name the line, without echoing the document', () => {
    const error = fail('[server]\nport = 1\n[connections.source.a]\npassword = "s3cret-in-syntax-error\n');
    expect(error).toMatchObject({ file: 'F', expected: 'valid TOML' });
    expect(error.message).toMatch(/^F:4:\d+: TOML syntax error: /);
    expect(error.message).not.toContain('s3cret');
  });

  it('cross references: defaults.stage and snowflake stages', () => {
    expect(fail('[defaults]\nstage = "nope"\n')).toMatchObject({
      message: 'F: defaults.stage: unknown stage "nope"; configured: local',
      key: 'defaults.stage',
    });
    expect(fail('[connections.stage.sf]\ntype = "snowflake_stage"\nconnection = "wh"\n').message).toBe(
      'F: connections.stage.sf.connection: unknown snowflake target "wh"; configured: (none)',
    );
  });

  it('says when a bad value came from the environment or the command line', () => {
    const env = catchConfigError(() => loadConfig({ env: { WORKER_COUNT: 'many' } }));
    expect(env).toMatchObject({
      message:
        'environment variable WORKER_COUNT: application.workers: expected an integer from 1 to 256, got "many"',
      file: undefined,
      envVar: 'WORKER_COUNT',
    });
    const cli = catchConfigError(() => loadConfig({ env: {}, overrides: { server: { port: 70000 } } }));
    expect(cli.message).toBe('command line: server.port: expected an integer from 0 to 65535, got 70000');
  });

  it('never prints a secret value', () => {
    const secretField = fail(`${PG}password = 123456789\n`);
    expect(secretField.message).toBe('F: connections.source.pg_main.password: expected a string, got "***"');
    const registered = fail(
      '[connections.stage.s]\ntype = "s3"\nbucket_name = "b"\naccess_key_id = 987654321\n',
    );
    expect(registered.message).toBe('F: connections.stage.s.access_key_id: expected a string, got "***"');
    const byKeyName = fail('[connections.target.sf]\ntype = "snowflake"\ntoken_file_path = 55555\n');
    expect(byKeyName.message).toBe('F: connections.target.sf.token_file_path: expected a string, got "***"');
    const env = catchConfigError(() =>
      loadConfig({
        env: { DATA_SOURCE_HOST: 'h', DATA_SOURCE_PASSWORD: 'pw-from-env', DATA_SOURCE_TYPE: 'oracle' },
      }),
    );
    expect(env.message).toBe(
      'environment variable DATA_SOURCE_TYPE: connections.source.source.type: expected one of "postgresql", "sqlserver", "teradata", "mysql", got "oracle"',
    );
  });
});
