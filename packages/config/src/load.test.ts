import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, resolveConfigFile } from './load.js';
import { catchConfigError, tomlDir } from './test-helpers.js';

const files = tomlDir();
afterAll(() => files.cleanup());

describe('resolveConfigFile', () => {
  it('prefers --config, then $DXA_CONFIG, then ./configuration.toml, else nothing', () => {
    const a = files.write('a.toml', '');
    const b = files.write('b.toml', '');
    expect(resolveConfigFile({ file: a, env: { DXA_CONFIG: b } })).toBe(a);
    expect(resolveConfigFile({ env: { DXA_CONFIG: b } })).toBe(b);
    const cwd = process.cwd();
    try {
      process.chdir(files.dir);
      expect(resolveConfigFile({ env: {} })).toBeUndefined();
      files.write('configuration.toml', '[server]\nport = 9001\n');
      expect(resolveConfigFile({ env: {} })).toBe('configuration.toml');
      expect(loadConfig({ env: {} })).toMatchObject({
        file: 'configuration.toml',
        config: { server: { port: 9001 } },
      });
    } finally {
      process.chdir(cwd);
    }
  });

  it('names a given file that does not exist', () => {
    const missing = path.join(files.dir, 'nope.toml');
    const error = catchConfigError(() => resolveConfigFile({ file: missing, env: {} }));
    expect(error).toMatchObject({
      message: `${missing}: configuration file not found`,
      file: missing,
      expected: 'an existing file',
    });
    expect(() => loadConfig({ env: { DXA_CONFIG: missing } })).toThrow(
      `${missing}: configuration file not found`,
    );
  });
});

describe('defaults', () => {
  it('loads built-in defaults without a file, with a local stage next to the work dir', () => {
    const { config, file } = loadConfig({ env: {} });
    expect(file).toBeUndefined();
    expect(config.application).toMatchObject({
      workers: 4,
      affinity: ['default'],
      work_dir: './.dxa/work',
      shutdown_timeout_seconds: 30,
    });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'dxa' });
    expect(config.connections.stage).toEqual({ local: { type: 'local', path: './.dxa/stage' } });
  });

  it('puts the default stage beside a configured work dir, and adds none when a stage exists', () => {
    expect(loadConfig({ env: { DXA_WORK_DIR: '/var/dxa/work' } }).config.connections.stage).toEqual({
      local: { type: 'local', path: '/var/dxa/stage' },
    });
    const file = files.write('stage.toml', '[connections.stage.s]\ntype = "local"\npath = "/data"\n');
    expect(Object.keys(loadConfig({ file, env: {} }).config.connections.stage)).toEqual(['s']);
  });
});

describe('${ENV_VAR} substitution', () => {
  const file = files.write(
    'subst.toml',
    [
      '[server]',
      'port = "${GW_PORT}"',
      '[connections.source.pg_main]',
      'type = "postgresql"',
      'database = "${PG_DB:-app}"',
      'username = "${PG_USER:-etl}"',
      'password = "pre-${PG_PASSWORD}-post"',
      'host = "$${LITERAL}"',
    ].join('\n'),
  );

  it('replaces references in every string, with defaults and escapes', () => {
    const env = { GW_PORT: '9090', PG_PASSWORD: 'hunter2', PG_USER: '' };
    const { config } = loadConfig({ file, env });
    expect(config.server.port).toBe(9090);
    expect(config.connections.source.pg_main).toMatchObject({
      database: 'app',
      username: 'etl',
      password: 'pre-hunter2-post',
      host: '${LITERAL}',
    });
  });

  it('fails on an unset variable without default, naming the key and the variable', () => {
    const error = catchConfigError(() => loadConfig({ file, env: { GW_PORT: '1' } }));
    expect(error.message).toBe(
      `${file}: connections.source.pg_main.password: environment variable PG_PASSWORD is not set (write \${PG_PASSWORD:-default} for a default)`,
    );
    expect(error).toMatchObject({
      file,
      key: 'connections.source.pg_main.password',
      expected: 'environment variable PG_PASSWORD to be set',
    });
  });
});

describe('precedence: overrides > environment > file > defaults', () => {
  const file = files.write(
    'prec.toml',
    '[application]\nworkers = 2\naffinity = ["a", "b"]\n[server]\nport = 7000\n',
  );

  it('applies each layer over the one below', () => {
    expect(loadConfig({ env: {} }).config.application.workers).toBe(4);
    expect(loadConfig({ file, env: {} }).config.application.workers).toBe(2);
    expect(loadConfig({ file, env: { WORKER_COUNT: '3' } }).config.application.workers).toBe(3);
    expect(
      loadConfig({ file, env: { WORKER_COUNT: '3' }, overrides: { application: { workers: 5 } } }).config
        .application.workers,
    ).toBe(5);
  });

  it('keeps lower layers for keys an upper layer leaves unset', () => {
    const { config } = loadConfig({
      file,
      env: { PORT: '' },
      overrides: { application: { workers: undefined } },
    });
    expect(config.server.port).toBe(7000);
    expect(config.application).toMatchObject({ workers: 2, affinity: ['a', 'b'] });
  });

  it('normalises affinity from a string, a list or AGENT_AFFINITY', () => {
    const str = files.write('aff.toml', '[application]\naffinity = "blue, green"\n');
    expect(loadConfig({ file: str, env: {} }).config.application.affinity).toEqual(['blue', 'green']);
    expect(loadConfig({ file, env: {} }).config.application.affinity).toEqual(['a', 'b']);
    expect(loadConfig({ file, env: { AGENT_AFFINITY: 'x,y' } }).config.application.affinity).toEqual([
      'x',
      'y',
    ]);
  });
});
