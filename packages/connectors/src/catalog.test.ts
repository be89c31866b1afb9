import { classifyError } from '@dxa/errors';
import { describe, expect, it } from 'vitest';
// The catalog installs every connector's driver error table for classifyError.
import {
  ConnectionsSchema,
  describeKind,
  driverErrorTables,
  pairingProblem,
  sourceDescriptions,
  stageDescriptions,
  targetDescriptions,
} from './catalog.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('PostgreSQL driver errors (pgDriverErrors, installed by the catalog)', () => {
  it('retries lost connections and server shutdowns', () => {
    for (const err of [
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('could not serialize access due to concurrent update', '40001'),
      new Error('Client has encountered a connection error and is not queryable'),
    ])
      expect(classifyError(err), err.message).toMatchObject({ kind: 'transient', code: 'CONNECTION_FAILED' });
  });

  it('keeps permission, missing-table and syntax errors terminal', () => {
    expect(classifyError(withCode('permission denied for table t', '42501'))).toMatchObject({
      kind: 'terminal',
      code: 'PERMISSION_DENIED',
    });
    expect(classifyError(withCode('relation "t" does not exist', '42P01'))).toMatchObject({
      kind: 'terminal',
      code: 'SOURCE_NOT_FOUND',
    });
    expect(classifyError(withCode('division by zero', '22012'))).toMatchObject({
      kind: 'terminal',
      code: 'BAD_SQL',
    });
  });
});

describe('DuckDB driver errors (duckdbDriverErrors, installed by the catalog)', () => {
  it('retries a database file another process holds, as a load error', () => {
    expect(
      classifyError(new Error('IO Error: Could not set lock on file "/w.duckdb": Conflicting lock is held')),
    ).toMatchObject({ kind: 'transient', code: 'LOAD_ERROR' });
  });
});

describe('the connector list', () => {
  it('declares each kind once per role, and every built kind can be loaded', () => {
    for (const list of [sourceDescriptions, stageDescriptions, targetDescriptions]) {
      const kinds = list.map((d) => d.kind);
      expect(new Set(kinds).size).toBe(kinds.length);
    }
    expect(sourceDescriptions.filter((d) => !d.load).map((d) => d.kind)).toEqual(['sqlserver', 'teradata']);
  });

  it('builds the [connections] schema from the descriptions, refusing unknown kinds by name', () => {
    const parsed = ConnectionsSchema.parse({
      source: { pg: { type: 'postgresql', database: 'app' }, erp: { type: 'sqlserver' } },
      stage: { lake: { type: 's3', bucket_name: 'b' } },
      target: { w: { type: 'duckdb' } },
    });
    expect(parsed.source.erp).toMatchObject({ type: 'sqlserver', port: 1433 });
    expect(parsed.target.w).toMatchObject({ type: 'duckdb', memory_limit: '128MB' });
    const refused = ConnectionsSchema.safeParse({ source: { x: { type: 'oracle' } } });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toContain('postgresql');
  });

  it('answers pairing questions from the targets’ declared capabilities', () => {
    expect(pairingProblem('postgresql', 'snowflake_stage', 'parquet')).toContain(
      'cannot load from a snowflake_stage stage',
    );
    expect(pairingProblem('duckdb', 's3', 'parquet')).toBeUndefined();
    expect(pairingProblem('snowflake', 'snowflake_stage', 'csv')).toBeUndefined();
    expect(pairingProblem('unknown_target', 'local', 'csv')).toBeUndefined();
    expect(describeKind('target', 'postgresql')?.title).toBe('PostgreSQL');
  });

  it('installs each driver error table once (a driver serving a source and a target counts once)', () => {
    expect(driverErrorTables.map((t) => t.driver).sort()).toEqual(['@duckdb/node-api', 'mysql2', 'pg']);
  });
});
