import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '@dxa/contracts';
import { duckdbExec, duckdbQuery } from './duckdb-query.js';
import type { Stack } from './harness.js';
import { startMariadbStack, type MariadbStack } from './mariadb-stack.js';

const ROWS = 6_000;

// A subset of the table's columns in another order, two of them needing quotes (a space, mixed
// case); the filter names a column that is not selected and ends in a comment.
const COLUMNS = ['note', 'Amount Due', 'id', 'CustName', 'at', 'ratio', 'day', 'attrs'];
const WHERE = "`Amount Due` >= 10 AND status <> 'sent' -- paid and new orders only";

type Difference = { key?: Record<string, unknown>; kind?: string; columns?: string[] };

describe('MariaDB table narrowed by columns and where → DuckDB, validated through gateway and worker', () => {
  let my: MariadbStack;
  let stack: Stack;

  beforeAll(async () => {
    my = await startMariadbStack(`
       CREATE TABLE orders (
         id bigint PRIMARY KEY, qty smallint NOT NULL, \`Amount Due\` decimal(12,2), ratio double,
         status enum('new','paid','sent'), note text, \`CustName\` varchar(40), at datetime(6), day date,
         attrs json, \`blob\` varbinary(32)
       );
       INSERT INTO orders
       SELECT seq, seq % 100, ROUND(seq * 1.37, 2), IF(seq % 17 = 0, NULL, seq / 3.0e0),
              elt(seq % 3 + 1, 'new', 'paid', 'sent'),
              CASE seq % 5 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'comma, "quote" \`tick\`'
                           WHEN 3 THEN 'ünïcødé ✓ 東京' ELSE concat('n', seq) END,
              concat('Cust ', seq % 40), TIMESTAMP '2023-05-01 12:00:00.123456' + INTERVAL seq * 63 SECOND,
              DATE '2020-02-29' + INTERVAL seq % 1000 DAY,
              IF(seq % 4 = 0, NULL, json_object('g', seq, 'even', seq % 2 = 0)), unhex(md5(seq))
         FROM seq_1_to_${ROWS}`);
    stack = my.stack;
  });

  afterAll(async () => {
    await my?.stop();
  });

  async function run(spec: Record<string, unknown>): Promise<JobView> {
    const res = await stack.api('POST', '/v1/jobs', spec);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled']);
  }

  const source = { connection: 'my_main', table: 'orders', columns: COLUMNS, where: WHERE };
  const levels = ['count', 'schema', 'metrics', 'rows'];

  it('migrates the selection and validates it with zero differences at every level', async () => {
    const [[selected]] = await my.admin.query<mysql.RowDataPacket[]>(
      `SELECT count(*) AS n FROM ${my.database}.orders WHERE ${WHERE}\n`,
    );
    const expectedRows = Number(selected?.['n']);
    expect(expectedRows).toBeGreaterThan(1000);
    expect(expectedRows).toBeLessThan(ROWS);

    const view = await run({
      type: 'migrate',
      source,
      stage: { connection: 'local', path: 'orders_selection' },
      format: 'parquet',
      target: { connection: 'warehouse', table: 'orders_selection', mode: 'replace' },
      options: { file_size_mb: 0.1 },
      // No key given: rows uses the table's primary key, which the selection keeps.
      validation: { levels },
    });
    expect(view.state, JSON.stringify(view.error)).toBe('completed');
    const validation = view.result?.validation;
    expect(validation?.status, JSON.stringify(validation)).toBe('passed');
    expect(validation?.count).toEqual({
      status: 'passed',
      source_rows: expectedRows,
      target_rows: expectedRows,
    });
    for (const level of ['schema', 'metrics', 'rows'] as const)
      expect(validation?.[level], level).toMatchObject({ status: 'passed', differences: [] });
    const described = await duckdbQuery(stack.duckdbFile, 'DESCRIBE orders_selection');
    expect((described ?? []).map((c) => c.column_name)).toEqual(COLUMNS);
  });

  it('reports one changed cell of the copy with exactly its key and column', async () => {
    await duckdbExec(stack.duckdbFile, `UPDATE orders_selection SET "Amount Due" = 0.01 WHERE id = 1000`);
    const view = await run({
      type: 'validate',
      source,
      target: { connection: 'warehouse', table: 'orders_selection' },
      validation: { levels },
    });
    expect(view.state).toBe('failed');
    expect(view.error?.code).toBe('VALIDATION_FAILED');
    const validation = view.result?.validation;
    expect(validation?.count?.status).toBe('passed');
    expect(validation?.schema).toMatchObject({ status: 'passed', differences: [] });
    const metrics = (validation?.metrics?.differences ?? []) as { column?: string }[];
    expect(metrics.length, JSON.stringify(metrics)).toBeGreaterThan(0);
    expect(new Set(metrics.map((d) => d.column))).toEqual(new Set(['Amount Due']));
    const differences = (validation?.rows?.differences ?? []) as Difference[];
    expect(differences, JSON.stringify(validation?.rows)).toHaveLength(1);
    const [found] = differences;
    expect({ ...found, key: { id: String(found?.key?.id) } }).toEqual({
      key: { id: '1000' },
      kind: 'mismatch',
      columns: ['Amount Due'],
    });
  });
});
