import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeValidationEndpointContract } from '../../contract/validation-endpoint.contract.js';
import { createDuckdbDestination } from './destination.js';
import { logger, query } from './test-support.js';
import { duckdbValidationColumn } from './validation-endpoint.js';

describeValidationEndpointContract('duckdb target', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dxa-duck-endpoint-'));
  const file = path.join(dir, 'w.duckdb');
  await query(
    file,
    `CREATE TABLE vt (b BIGINT NOT NULL, id INTEGER NOT NULL, amount DECIMAL(12,2), note VARCHAR, raw BLOB,
                      PRIMARY KEY (id, b));
     CREATE TABLE vt_nokey (x INTEGER);
     INSERT INTO vt VALUES (1, 10, 1.50, 'a', '\\x00\\xFF'::BLOB), (2, 20, NULL, '', NULL)`,
  );
  const owner = createDuckdbDestination({ type: 'duckdb', path: file, memory_limit: '256MB' }, logger);
  return {
    dialect: 'duckdb',
    qualifiedTable: '"main"."vt"',
    endpoint: () => owner.validationEndpoint!(),
    owner,
    queries: true,
    readOnly: true,
    primaryKeys: true,
    // The file is opened per statement in this process: nothing outside shows the statement running.
    slow: { sql: 'SELECT sum(hash(range)) AS s FROM range(1000000000000)' },
    secrets: [],
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

const signal = () => new AbortController().signal;

// Describe, queries, read-only sessions, primary keys and aborts: the contract above.
describe('DuckDB validation endpoint', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dxa-duck-validate-'));
    file = path.join(dir, 'w.duckdb');
    await query(
      file,
      `CREATE SCHEMA s;
       CREATE TABLE s.t (id BIGINT NOT NULL, amount DECIMAL(12,2), ratio DOUBLE, ts TIMESTAMPTZ, raw BLOB,
                         u UUID, doc JSON, note VARCHAR, d DATE, tm TIME, iv INTERVAL, r REAL, PRIMARY KEY (id));
       CREATE TABLE s.nokey (x INTEGER);
       INSERT INTO s.t (id, amount, note) VALUES (1, 1.50, 'a'), (2, NULL, '')`,
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('maps DuckDB types to logical types', async () => {
    const endpoint = createDuckdbDestination({ type: 'duckdb', path: file, memory_limit: '256MB' }, logger)
      .validationEndpoint!();
    expect(endpoint.dialect.name).toBe('duckdb');
    const columns = await endpoint.describe({ table: 's.t' }, signal());
    expect(columns.map((c) => [c.name, c.engineType, c.type, c.nullable])).toEqual([
      ['id', 'BIGINT', 'int64', false],
      ['amount', 'DECIMAL(12,2)', 'decimal', true],
      ['ratio', 'DOUBLE', 'float64', true],
      ['ts', 'TIMESTAMP WITH TIME ZONE', 'timestamptz', true],
      ['raw', 'BLOB', 'binary', true],
      ['u', 'UUID', 'uuid', true],
      ['doc', 'JSON', 'json', true],
      ['note', 'VARCHAR', 'text', true],
      ['d', 'DATE', 'date', true],
      ['tm', 'TIME', 'time', true],
      ['iv', 'INTERVAL', 'interval', true],
      ['r', 'FLOAT', 'float32', true],
    ]);
    expect(columns[1]).toMatchObject({ precision: 12, scale: 2 });
    expect(duckdbValidationColumn('x', 'STRUCT(a INTEGER)', true).type).toBe('text');
    expect(duckdbValidationColumn('x', 'TIMESTAMP_NS', true).type).toBe('timestamp');
    await endpoint.close();
  });

  it('fails with the validate step’s codes: VALIDATION_ERROR when it cannot run, BAD_SQL for a refused query', async () => {
    const endpoint = createDuckdbDestination({ type: 'duckdb', path: file, memory_limit: '256MB' }, logger)
      .validationEndpoint!();
    // Validation cannot run without the table; the load step's code would point at the wrong step.
    await expect(endpoint.describe({ table: 's.missing' }, signal())).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      step: 'validate',
    });
    await expect(endpoint.describe({ query: 'SELECT nope FROM s.t' }, signal())).rejects.toMatchObject({
      code: 'BAD_SQL',
    });
    await endpoint.close();
  });

  it('names a table in another schema as the catalog spells it, whatever case the job wrote', async () => {
    const endpoint = createDuckdbDestination({ type: 'duckdb', path: file, memory_limit: '256MB' }, logger)
      .validationEndpoint!();
    const resolved = await endpoint.resolve(
      { table: 'S.T', columns: ['Note', 'ID'], where: 'id > 1' },
      signal(),
    );
    expect(resolved).toEqual({ table: '"s"."t"', columns: ['note', 'id'], where: 'id > 1' });
    expect((await endpoint.describe(resolved, signal())).map((c) => c.name)).toEqual(['note', 'id']);
    await endpoint.close();
  });
});
