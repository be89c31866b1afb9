import { describe, expect, it } from 'vitest';
import { TerminalError } from '@dxa/errors';
import type { Column } from '../core/types.js';
import { createTableSql, snowflakeColumnType } from './column-types.js';
import { parseStageRef, parseTableName, qualified, scratchName, sqlString, stageLocation } from './names.js';

describe('Snowflake names', () => {
  it('upper-cases unquoted parts and keeps quoted ones, as Snowflake resolves them', () => {
    expect(qualified(parseTableName('orders'))).toBe('"ORDERS"');
    expect(qualified(parseTableName('public.orders'))).toBe('"PUBLIC"."ORDERS"');
    expect(qualified(parseTableName('db.Sales."Order ""Lines"""'))).toBe('"DB"."SALES"."Order ""Lines"""');
    expect(() => parseTableName('a.b.c.d')).toThrow(TerminalError);
    expect(() => parseTableName('orders; drop')).toThrow(TerminalError);
  });

  it('refuses a NUL inside a quoted part (Snowflake cannot store it)', () => {
    expect(() => parseTableName('"a\u0000b"')).toThrow(TerminalError);
    expect(qualified(parseTableName('"a b"'))).toBe('"a b"');
  });

  it('names the scratch table after the target and the job', () => {
    expect(qualified(scratchName(parseTableName('s.t'), 'job-1:a'))).toBe('"S"."T__dxa_job_1_a"');
  });

  it('escapes quotes and backslashes in string literals', () => {
    expect(sqlString(`it's a\\b`)).toBe(`'it''s a\\\\b'`);
  });

  it('parses stage references with a root folder', () => {
    const user = parseStageRef('@~/dxa');
    expect(stageLocation(user, 'jobs/1/')).toBe('@~/dxa/jobs/1/');
    expect(stageLocation(user, 'jobs/1/part-00001.parquet')).toBe('@~/dxa/jobs/1/part-00001.parquet');
    const named = parseStageRef('@db.app.landing/in');
    expect(named.named).toEqual({ database: 'DB', schema: 'APP', table: 'LANDING' });
    expect(stageLocation(named, '')).toBe('@"DB"."APP"."LANDING"/in');
    expect(stageLocation(parseStageRef('@%orders'), 'x')).toBe('@%"ORDERS"/x');
    expect(() => parseStageRef('~')).toThrow(TerminalError);
    expect(() => stageLocation(user, "a b'/c")).toThrow(TerminalError);
  });
});

const col = (type: Column['type'], extra: Partial<Column> = {}): Column => ({
  name: 'c',
  sourceType: type,
  type,
  nullable: true,
  ...extra,
});

describe('snowflakeColumnType', () => {
  it('maps every logical type', () => {
    const cases: [Column, string, string][] = [
      [col('boolean'), 'BOOLEAN', 'BOOLEAN'],
      [col('int16'), 'NUMBER(5,0)', 'NUMBER(5,0)'],
      [col('int32'), 'NUMBER(10,0)', 'NUMBER(10,0)'],
      [col('int64'), 'NUMBER(19,0)', 'NUMBER(19,0)'],
      [col('float32'), 'FLOAT', 'FLOAT'],
      [col('float64'), 'FLOAT', 'FLOAT'],
      [col('decimal', { precision: 12, scale: 2 }), 'NUMBER(12,2)', 'NUMBER(12,2)'],
      [col('decimal', { precision: 60, scale: 2 }), 'VARCHAR', 'VARCHAR'],
      [col('decimal'), 'VARCHAR', 'VARCHAR'],
      [col('text'), 'VARCHAR', 'VARCHAR'],
      [col('binary'), 'BINARY', 'VARCHAR'],
      [col('date'), 'DATE', 'DATE'],
      [col('time'), 'TIME(9)', 'TIME(9)'],
      [col('timestamp'), 'TIMESTAMP_NTZ(9)', 'TIMESTAMP_NTZ(9)'],
      [col('timestamptz'), 'TIMESTAMP_TZ(9)', 'TIMESTAMP_TZ(9)'],
      [col('interval'), 'VARCHAR', 'VARCHAR'],
      [col('uuid'), 'VARCHAR(36)', 'VARCHAR(36)'],
      [col('json'), 'VARCHAR', 'VARCHAR'],
    ];
    for (const [c, parquet, csv] of cases) {
      expect(snowflakeColumnType(c, 'parquet'), c.type).toBe(parquet);
      expect(snowflakeColumnType(c, 'csv'), c.type).toBe(csv);
    }
  });

  it('writes CREATE TABLE with quoted source-case columns and NOT NULL', () => {
    const sql = createTableSql(
      parseTableName('s.t'),
      [col('int64', { name: 'Id', nullable: false }), col('text', { name: 'note' })],
      'parquet',
      true,
    );
    expect(sql).toBe('CREATE TABLE IF NOT EXISTS "S"."T" ("Id" NUMBER(19,0) NOT NULL, "note" VARCHAR)');
  });
});
