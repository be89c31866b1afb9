import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckdbDestination } from './destination.js';
import { logger, query } from './test-support.js';
import { duckdbValidationColumn } from './validation-endpoint.js';

const signal = () => new AbortController().signal;

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

  it('names a selection exactly, with the columns spelled as the table spells them', async () => {
    const endpoint = createDuckdbDestination({ type: 'duckdb', path: file, memory_limit: '256MB' }, logger)
      .validationEndpoint!();
    const resolved = await endpoint.resolve(
      { table: 's.T', columns: ['Note', 'ID'], where: 'id > 1' },
      signal(),
    );
    expect(resolved).toEqual({ table: '"s"."T"', columns: ['note', 'id'], where: 'id > 1' });
    expect((await endpoint.describe(resolved, signal())).map((c) => c.name)).toEqual(['note', 'id']);
    expect(await endpoint.primaryKey!(resolved, signal())).toEqual(['id']);
    expect(await endpoint.primaryKey!({ table: 's.t', columns: ['note'] }, signal())).toBeUndefined();
    await endpoint.close();
  });

  it('describes queries, runs them read-only and finds the primary key', async () => {
    const endpoint = createDuckdbDestination({ type: 'duckdb', path: file, memory_limit: '256MB' }, logger)
      .validationEndpoint!();
    const described = await endpoint.describe({ query: 'SELECT id, note AS n FROM s.t' }, signal());
    expect(described.map((c) => [c.name, c.type])).toEqual([
      ['id', 'int64'],
      ['n', 'text'],
    ]);
    const rows = await endpoint.query(
      'SELECT count(*) AS n, sum(amount)::VARCHAR AS total FROM s.t',
      signal(),
    );
    expect(rows.map((r) => [String(r.n), r.total])).toEqual([['2', '1.50']]);
    await expect(endpoint.query('DELETE FROM s.t', signal())).rejects.toThrow(/read-only/i);
    await expect(endpoint.query('SELECT nope FROM s.t', signal())).rejects.toMatchObject({ code: 'BAD_SQL' });
    expect(await endpoint.primaryKey!({ table: 'S.T' }, signal())).toEqual(['id']);
    expect(await endpoint.primaryKey!({ table: 's.nokey' }, signal())).toBeUndefined();
    expect(await endpoint.primaryKey!({ table: 's.missing' }, signal())).toBeUndefined();
    // Validation cannot run without the table; the load step's code would point at the wrong step.
    await expect(endpoint.describe({ table: 's.missing' }, signal())).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      step: 'validate',
    });
    await expect(endpoint.describe({ query: 'SELECT nope FROM s.t' }, signal())).rejects.toMatchObject({
      code: 'BAD_SQL',
    });
  });

  it('does not start a query once aborted', async () => {
    const endpoint = createDuckdbDestination({ type: 'duckdb', path: file, memory_limit: '256MB' }, logger)
      .validationEndpoint!();
    const controller = new AbortController();
    controller.abort();
    await expect(endpoint.query('SELECT 1', controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
