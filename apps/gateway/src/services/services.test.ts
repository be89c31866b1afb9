import { describe, expect, it } from 'vitest';
import type { WorkerInfo } from '@dxa/contracts';
import { AppError } from '@dxa/errors';
import { checkConnections } from './connection-check.js';
import { targetCapabilities } from '@dxa/connectors/src/catalog.js';
import { mergeExpositions } from './metrics.js';
import { checkRunnable, knownConnections } from './pairing-check.js';
import { parseJobSpec } from './spec-validation.js';
import { taskToJobBody } from './upstream-task.js';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('parseJobSpec', () => {
  it('applies catalog defaults', () => {
    const spec = parseJobSpec({ type: 'extract', source: { connection: 'pg', table: 'public.t' } });
    expect(spec).toMatchObject({ affinity: 'default', options: { file_size_mb: 128 } });
  });

  it('accepts any validation levels', () => {
    const spec = parseJobSpec({
      type: 'migrate',
      source: { connection: 'pg', table: 'public.t' },
      target: { connection: 'wh', table: 't' },
      validation: { levels: ['schema', 'metrics', 'rows'], key: ['id'] },
    });
    expect(spec.type === 'migrate' && spec.validation?.levels).toEqual(['schema', 'metrics', 'rows']);
  });

  it('names the missing type and nested paths', () => {
    expect(thrown(() => parseJobSpec({})).details).toEqual([
      { path: 'type', message: expect.any(String) as string },
    ]);
    const err = thrown(() => parseJobSpec({ type: 'extract', source: { connection: 'pg', table: 'a b' } }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details[0]?.path).toBe('source.table');
    expect(err.message).toContain('source.table');
    expect(thrown(() => parseJobSpec({ type: 7 })).code).toBe('UNKNOWN_JOB_TYPE');
  });
});

describe('checkConnections', () => {
  const spec = parseJobSpec({
    type: 'migrate',
    source: { connection: 'a', table: 't' },
    stage: { connection: 's' },
    target: { connection: 'b', table: 't' },
  });
  const configured = { source: { a: { type: 'postgresql' } }, stage: {}, target: {} };
  const worker = (connections: string[], draining = false) =>
    ({ connections, draining }) as unknown as WorkerInfo;

  it('names every missing connection with its role', () => {
    const err = thrown(() => checkConnections(spec, configured, []));
    expect(err.code).toBe('UNKNOWN_CONNECTION');
    expect(err.details.map((d) => d.path)).toEqual(['stage.connection', 'target.connection']);
    expect(err.message).toBe('unknown stage connection "s", target connection "b"');
  });

  it('accepts role-qualified or bare names from live, non-draining workers', () => {
    expect(() => checkConnections(spec, configured, [worker(['stage:s', 'b'])])).not.toThrow();
    expect(() => checkConnections(spec, configured, [worker(['source:s', 'target:b'])])).toThrow(AppError);
    expect(() => checkConnections(spec, configured, [worker(['stage:s', 'b'], true)])).toThrow(AppError);
  });
});

describe('checkRunnable', () => {
  const config = {
    connections: {
      source: { pg: { type: 'postgresql' }, mssql: { type: 'sqlserver' } },
      stage: { local: { type: 'local' }, lake: { type: 's3' }, sfs: { type: 'snowflake_stage' } },
      target: { warehouse: { type: 'duckdb' }, pgt: { type: 'postgresql' } },
    },
    defaults: { format: 'parquet' as const },
  };
  const migrate = (stage: string | undefined, target: string, source = 'pg') =>
    parseJobSpec({
      type: 'migrate',
      source: { connection: source, table: 'public.t' },
      ...(stage ? { stage: { connection: stage } } : {}),
      target: { connection: target, table: 't' },
    });
  const known = knownConnections(config, []);

  it('refuses a target that cannot read the stage, naming both connections and their kinds', () => {
    const err = thrown(() => checkRunnable(migrate('sfs', 'pgt'), known));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.status).toBe(422);
    expect(err.message).toBe(
      'stage "sfs" (snowflake_stage) and target "pgt" (postgresql) cannot work together: the target cannot load from a snowflake_stage stage (it loads from: ' +
        `${targetCapabilities('postgresql')?.stages.join(', ')})`,
    );
    expect(err.details.map((d) => d.path)).toEqual(['stage.connection', 'target.connection']);
    expect(() => checkRunnable(migrate('lake', 'pgt'), known)).not.toThrow();
    expect(() => checkRunnable(migrate(undefined, 'warehouse'), known)).not.toThrow();
  });

  it('checks a load against the stage and format of the job it loads from', () => {
    const load = parseJobSpec({
      type: 'load',
      from_job: 'j1',
      target: { connection: 'pgt', table: 't' },
    });
    const err = thrown(() => checkRunnable(load, known, migrate('sfs', 'warehouse')));
    expect(err.details.map((d) => d.path)).toEqual(['from_job', 'target.connection']);
  });

  it('refuses a source kind this version cannot run yet', () => {
    const err = thrown(() => checkRunnable(migrate('local', 'warehouse', 'mssql'), known));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toContain('source connection "mssql" (sqlserver)');
  });

  it('uses the kinds live workers advertise for connections the gateway does not hold', () => {
    const worker = {
      connections: ['target:remote_sf'],
      connection_kinds: { 'target:remote_sf': 'snowflake', 'stage:w_sfs': 'snowflake_stage' },
      draining: false,
    } as unknown as WorkerInfo;
    const withWorker = knownConnections(config, [worker]);
    expect(withWorker.kindOf('target', 'remote_sf')).toBe('snowflake');
    expect(() => checkRunnable(migrate('w_sfs', 'pgt'), withWorker)).toThrow(AppError);
    // Unknown kinds are left to the worker.
    expect(() => checkRunnable(migrate('nowhere', 'warehouse'), known)).not.toThrow();
  });
});

describe('taskToJobBody', () => {
  it('maps the upstream task fields', () => {
    expect(
      taskToJobBody({
        id: 3,
        engine: 'postgresql',
        database: 'db',
        schema: 'sc',
        statement: 'select 1',
        source_type: 'jdbc',
        upload_type: 's3',
        upload_path: '/out/x/',
      }),
    ).toEqual({
      type: 'extract',
      name: 'task 3 db sc',
      source: { connection: 'postgresql', query: 'select 1' },
      stage: { connection: 's3', path: 'out/x/' },
    });
  });

  it('rejects non-objects', () => {
    expect(thrown(() => taskToJobBody([1])).code).toBe('BAD_REQUEST');
  });
});

describe('mergeExpositions', () => {
  it('keeps one HELP/TYPE per family with all samples under it', () => {
    const a = '# HELP m help\n# TYPE m gauge\nm{queue="a"} 1\n# HELP c c\n# TYPE c counter\nc{queue="a"} 2';
    const b = '# HELP m help\n# TYPE m gauge\nm{queue="b"} 3\n# HELP c c\n# TYPE c counter\nc{queue="b"} 4';
    expect(mergeExpositions([a, b])).toBe(
      '# HELP m help\n# TYPE m gauge\nm{queue="a"} 1\nm{queue="b"} 3\n# HELP c c\n# TYPE c counter\nc{queue="a"} 2\nc{queue="b"} 4\n',
    );
  });
});
