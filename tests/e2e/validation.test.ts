import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '@dxa/contracts';
import { PG_HOST, PG_PORT, PG_USER, createTestDatabase, type TestDatabase } from '@dxa/testing';
import { duckdbExec } from './duckdb-query.js';
import { createStack, type Stack } from './harness.js';

// Edge values for every supported type; ids 1–6 are hand-made, 7–2006 generated so that
// rows-level validation has many key ranges to narrow down.
const TORTURE = `
  CREATE TABLE public.torture (
    id bigint PRIMARY KEY, b boolean, i2 smallint, i4 integer, i8 bigint, num numeric(38,9), f4 real,
    f8 double precision, txt text, vc varchar(40), bp char(5), bin bytea, d date, tm time, ts timestamp,
    tstz timestamptz, iv interval, u uuid, doc jsonb
  );
  INSERT INTO public.torture VALUES
    (1, true, -32768, 2147483647, -9223372036854775808, 99999999999999999999999999999.999999999, 'NaN',
     '-Infinity', E'a "quoted", comma\\ttab\\nnewline \\\\ back', 'ünïcödé ✓ 😀 東京', 'ab', '\\x00ff',
     '0001-01-01 BC', '00:00:00', '0044-03-15 09:00:00.5 BC', '0044-03-15 09:00:00+00 BC',
     '1 year 2 mons 3 days 04:05:06.789', '00000000-0000-0000-0000-000000000000', '{"a": [1, 2.50], "s": "x\\"y,z"}'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, false, 32767, -2147483648, 9223372036854775807, -99999999999999999999999999999.999999999, 'Infinity',
     'Infinity', '', '', '', '\\x', '5874897-12-31', '23:59:59.999999', '294246-12-31 23:59:59.999999',
     '2262-04-11 23:47:16.854775+00', '-1 days +02:00:00', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '[]'),
    (4, true, 0, 0, 0, -0.000000001, '-0', '-0', 'NULL', 'NULL', ' x', decode(repeat('ab', 5000), 'hex'),
     '1970-01-01', '12:34:56.789', '1970-01-01 00:00:00', '1999-12-31 23:59:59.999999-05:30', '0 seconds',
     'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{}'),
    (5, false, 1, 1, 1, 0.000000001, 3.4028235e38, 5e-324, E'\\\\x not binary\\r\\n', '\\', 'abcde', '\\x5c',
     '2024-02-29', '00:00:00.000001', '2000-02-29 12:00:00.000001', '2020-06-01 12:00:00+05:30', '1 mon -1 days',
     'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', 'null'),
    (6, true, -1, -1, -1, 0, 1.1, 1e300, ' leading and trailing ', E'\\t', 'é', '\\xdeadbeef',
     '1900-01-01', '23:59:59', '1900-01-01 00:00:00', '1900-01-01 00:00:00+01', '-178 years',
     'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13', '{"u": "\\u00e9", "n": null}');
  INSERT INTO public.torture
  SELECT g, g % 2 = 0, (g % 32767)::int2, g * 7919, g::int8 * 1000000007, (g * 1.37)::numeric(38,9),
         (g / 7.0)::real, g / 3.0 * 1e-3, CASE WHEN g % 10 = 0 THEN NULL ELSE md5(g::text) END,
         left(md5(g::text), g % 40), left(md5(g::text), 3), decode(md5(g::text), 'hex'), DATE '2000-01-01' + g,
         make_time(g % 24, g % 60, (g % 60) + 0.123456), TIMESTAMP '2000-01-01' + g * INTERVAL '1 hour 1 microsecond',
         TIMESTAMPTZ '1999-12-31 20:00:00-05' + g * INTERVAL '37 minutes', g * INTERVAL '1 day 1 microsecond',
         md5(g::text)::uuid, jsonb_build_object('g', g)
    FROM generate_series(7, 2006) AS g;
`;

const LEVELS = ['count', 'schema', 'metrics', 'rows'];

type Difference = { key?: Record<string, unknown>; kind?: string; columns?: string[]; side?: string };

function rowDifferences(view: JobView): Difference[] {
  return view.result?.validation?.rows?.differences ?? [];
}

function expectReportFiles(view: JobView): void {
  const report = view.result?.validation?.report;
  expect(report, 'the result names the report files').toBeDefined();
  for (const file of Object.values(report ?? {})) expect(existsSync(file), file).toBe(true);
}

describe('validation through gateway and worker: PostgreSQL → DuckDB and PostgreSQL → PostgreSQL', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    source = await createTestDatabase('vsrc');
    target = await createTestDatabase('vdst');
    await source.query(TORTURE);
    stack = createStack({
      database: source.name,
      extraToml: `
[connections.target.pg_target]
type = "postgresql"
host = "${PG_HOST}"
port = ${PG_PORT}
database = "${target.name}"
username = "${PG_USER}"
`,
    });
    await stack.startGateway();
    await stack.startWorker('default');
  });

  afterAll(async () => {
    await stack?.stop();
    await source?.drop();
    await target?.drop();
  });

  async function run(spec: Record<string, unknown>): Promise<JobView> {
    const res = await stack.api('POST', '/v1/jobs', spec);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled']);
  }

  const targets = [
    { connection: 'warehouse', table: 'torture', format: 'parquet' },
    { connection: 'pg_target', table: 'public.torture', format: 'csv' },
  ];

  for (const t of targets) {
    it(`migrates the torture table to ${t.connection} and validates it with zero differences`, async () => {
      const view = await run({
        type: 'migrate',
        source: { connection: 'pg_main', table: 'public.torture' },
        format: t.format,
        target: { connection: t.connection, table: t.table, mode: 'replace' },
        validation: { levels: LEVELS, key: ['id'] },
      });
      expect(view.state, JSON.stringify(view.error)).toBe('completed');
      const validation = view.result?.validation;
      expect(validation?.status).toBe('passed');
      expect(validation?.count).toEqual({ status: 'passed', source_rows: 2006, target_rows: 2006 });
      for (const level of ['schema', 'metrics', 'rows'] as const) {
        expect(validation?.[level]?.status, `${level}: ${JSON.stringify(validation?.[level])}`).toBe(
          'passed',
        );
        expect(validation?.[level]?.differences).toEqual([]);
      }
      expect(validation?.rows).toMatchObject({ source_rows: 2006, target_rows: 2006, truncated: false });
      expectReportFiles(view);
      // Next to the manifest, on the job's stage.
      expect(validation?.report?.json).toContain(`${view.id}/validation/`);
    });
  }

  it('fails a migrate whose validation finds a difference, with the report next to the manifest', async () => {
    // Append onto a table already holding a row the source does not have.
    await target.query(`CREATE TABLE public.torture_appended AS SELECT * FROM public.torture WHERE id = 6;
                        UPDATE public.torture_appended SET id = 9999`);
    const view = await run({
      type: 'migrate',
      source: { connection: 'pg_main', table: 'public.torture' },
      target: { connection: 'pg_target', table: 'public.torture_appended', mode: 'append' },
      validation: { levels: ['rows'], key: ['id'] },
    });
    expect(view.state).toBe('failed');
    expect(view.error).toMatchObject({ code: 'VALIDATION_FAILED', step: 'validate' });
    expect(view.error?.message).toContain('source has 2006 rows, target has 2007');
    expect(view.progress?.phase).toBe('validate');
    const differences = rowDifferences(view);
    expect(differences).toHaveLength(1);
    expect({ ...differences[0], key: { id: String(differences[0]?.key?.id) } }).toMatchObject({
      key: { id: '9999' },
      kind: 'extra_in_target',
    });
    expectReportFiles(view);
    expect(view.result?.validation?.report?.json).toContain(`${view.id}/validation/`);
  });

  // Each change on a fresh copy of the target (no primary key, so a key can be duplicated).
  const injections: { name: string; sql: (t: string) => string; expected: Difference }[] = [
    {
      name: 'one cell changed',
      sql: (t) => `UPDATE ${t} SET vc = 'changed' WHERE id = 1`,
      expected: { key: { id: '1' }, kind: 'mismatch', columns: ['vc'] },
    },
    {
      name: 'one row deleted',
      sql: (t) => `DELETE FROM ${t} WHERE id = 4`,
      expected: { key: { id: '4' }, kind: 'missing_in_target' },
    },
    {
      name: 'one row added',
      sql: (
        t,
      ) => `INSERT INTO ${t} SELECT 5000 AS id, b, i2, i4, i8, num, f4, f8, txt, vc, bp, bin, d, tm, ts, tstz, iv,
                   u, doc FROM ${t} WHERE id = 6`,
      expected: { key: { id: '5000' }, kind: 'extra_in_target' },
    },
    {
      name: 'a NULL turned into an empty string',
      sql: (t) => `UPDATE ${t} SET txt = '' WHERE id = 2`,
      expected: { key: { id: '2' }, kind: 'mismatch', columns: ['txt'] },
    },
    {
      name: 'a timestamp moved by one microsecond',
      sql: (t) => `UPDATE ${t} SET ts = ts + INTERVAL '1 microsecond' WHERE id = 100`,
      expected: { key: { id: '100' }, kind: 'mismatch', columns: ['ts'] },
    },
    {
      name: 'a float changed beyond tolerance',
      sql: (t) => `UPDATE ${t} SET f8 = f8 * 1.001 WHERE id = 101`,
      expected: { key: { id: '101' }, kind: 'mismatch', columns: ['f8'] },
    },
    {
      name: 'a duplicated key',
      sql: (t) => `INSERT INTO ${t} SELECT * FROM ${t} WHERE id = 102`,
      expected: { key: { id: '102' }, kind: 'duplicate_key' },
    },
  ];

  const copies = [
    {
      connection: 'pg_target',
      copy: async (name: string) =>
        target.query(`CREATE TABLE public.${name} AS SELECT * FROM public.torture`),
      change: async (sql: string) => target.query(sql),
      qualified: (name: string) => `public.${name}`,
    },
    {
      connection: 'warehouse',
      copy: (name: string) => duckdbExec(stack.duckdbFile, `CREATE TABLE ${name} AS SELECT * FROM torture`),
      change: (sql: string) => duckdbExec(stack.duckdbFile, sql),
      qualified: (name: string) => name,
    },
  ];

  for (const c of copies) {
    injections.forEach((injection, i) => {
      it(`reports ${injection.name} on the ${c.connection} copy with its exact key, kind and column`, async () => {
        const name = `torture_changed_${i}`;
        await c.copy(name);
        await c.change(injection.sql(c.qualified(name)));
        const view = await run({
          type: 'validate',
          source: { connection: 'pg_main', table: 'public.torture' },
          target: { connection: c.connection, table: c.qualified(name) },
          validation: { levels: ['rows'], key: ['id'] },
        });
        expect(view.state).toBe('failed');
        expect(view.error?.code).toBe('VALIDATION_FAILED');
        const differences = rowDifferences(view);
        expect(differences, JSON.stringify(view.result?.validation)).toHaveLength(1);
        const [found] = differences;
        expect({ ...found, key: { id: String(found?.key?.id) } }).toMatchObject(injection.expected);
        if (injection.expected.columns === undefined) expect(found?.columns ?? []).toEqual([]);
        expect(view.result?.validation?.schema).toBeUndefined();
        expect(view.result?.validation?.metrics).toBeUndefined();
        expectReportFiles(view);
        const csv = readFileSync(view.result!.validation!.report!.differences_csv, 'utf8');
        expect(csv).toContain(injection.expected.kind);
      });
    });
  }
});
