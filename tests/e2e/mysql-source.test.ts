import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbQuery } from './duckdb-query.js';
import type { Stack } from './harness.js';
import { startMariadbStack, type MariadbStack } from './mariadb-stack.js';

const ROWS = 12_000;

/** Per column: a MariaDB and a DuckDB expression (names quoted: DuckDB reserves `day` and `at`) giving the same text for the same value. */
const PROBES: { name: string; my: string; duck: string; number?: true }[] = [
  { name: 'id', my: 'CAST(id AS CHAR)', duck: 'CAST("id" AS VARCHAR)' },
  { name: 'qty', my: 'CAST(qty AS CHAR)', duck: 'CAST("qty" AS VARCHAR)' },
  { name: 'big', my: 'CAST(big AS CHAR)', duck: 'CAST("big" AS VARCHAR)' },
  { name: 'amount', my: 'CAST(amount AS CHAR)', duck: 'CAST("amount" AS VARCHAR)' },
  { name: 'ratio', my: 'CAST(ratio AS CHAR)', duck: 'CAST("ratio" AS VARCHAR)', number: true },
  { name: 'status', my: 'status', duck: '"status"' },
  { name: 'note', my: 'note', duck: '"note"' },
  {
    name: 'at',
    my: "CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', at) AS CHAR)",
    duck: 'CAST(epoch_us("at") AS VARCHAR)',
  },
  {
    name: 'seen',
    my: "CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', seen) AS CHAR)",
    duck: 'CAST(epoch_us("seen") AS VARCHAR)',
  },
  { name: 'day', my: 'CAST(day AS CHAR)', duck: 'CAST("day" AS VARCHAR)' },
  { name: 'attrs', my: 'CAST(attrs AS CHAR)', duck: 'CAST("attrs" AS VARCHAR)' },
  { name: 'blob', my: 'lower(hex(`blob`))', duck: 'lower(hex("blob"))' },
];

type Row = (string | null)[];

function normalise(rows: Row[]): Row[] {
  return rows.map((row) => row.map((v, i) => (v !== null && PROBES[i]?.number ? String(Number(v)) : v)));
}

describe('MariaDB → local stage → DuckDB, through gateway and worker processes', () => {
  let my: MariadbStack;
  let admin: mysql.Connection;
  let stack: Stack;
  let database: string;

  beforeAll(async () => {
    my = await startMariadbStack(`
       CREATE TABLE orders (
         id bigint PRIMARY KEY, qty smallint NOT NULL, big bigint unsigned, amount decimal(12,2), ratio double,
         status enum('new','paid','sent'), note text, at datetime(6), seen timestamp(6) NULL, day date,
         attrs json, \`blob\` varbinary(32)
       );
       SET time_zone = '+00:00';
       INSERT INTO orders
       SELECT seq, seq % 100, IF(seq % 13 = 0, NULL, 18446744073709551615 - seq), ROUND(seq * 1.37, 2),
              IF(seq % 17 = 0, NULL, seq / 3.0e0), elt(seq % 3 + 1, 'new', 'paid', 'sent'),
              CASE seq % 7 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'comma, "quote"' WHEN 3 THEN 'two\nlines'
                           WHEN 4 THEN 'ünïcødé ✓ 東京' WHEN 5 THEN 'tab\there\\\\back' ELSE concat('n', seq) END,
              TIMESTAMP '2023-05-01 12:00:00.123456' + INTERVAL seq * 63 SECOND,
              TIMESTAMP '2001-01-01 00:00:00' + INTERVAL seq MINUTE + INTERVAL seq MICROSECOND,
              DATE '2020-02-29' + INTERVAL seq % 1000 DAY,
              IF(seq % 4 = 0, NULL, json_object('g', seq, 'even', seq % 2 = 0)),
              IF(seq % 5 = 0, NULL, unhex(md5(seq)))
         FROM seq_1_to_${ROWS}`);
    ({ admin, stack, database } = my);
  });

  afterAll(async () => {
    await my?.stop();
  });

  async function expected(): Promise<Row[]> {
    await admin.query("SET time_zone = '+00:00'");
    const [rows] = await admin.query<mysql.RowDataPacket[]>({
      sql: `SELECT ${PROBES.map((p) => p.my).join(', ')} FROM ${database}.orders ORDER BY id`,
      rowsAsArray: true,
    });
    return normalise(rows as unknown as Row[]);
  }

  for (const format of ['parquet', 'csv'] as const) {
    it(`migrates a table as ${format} and DuckDB holds the same values`, async () => {
      const table = `orders_${format}`;
      const res = await stack.api('POST', '/v1/jobs', {
        type: 'migrate',
        source: { connection: 'my_main', table: 'orders' },
        stage: { connection: 'local', path: table },
        format,
        target: { connection: 'warehouse', table, mode: 'replace' },
        options: { file_size_mb: 0.25 },
        validation: { levels: ['count', 'schema', 'metrics', 'rows'], key: ['id'] },
      });
      expect(res.status).toBe(202);
      const view = await stack.waitForState(res.body.id!, ['completed', 'failed', 'cancelled']);
      expect(view.state, JSON.stringify(view.error)).toBe('completed');
      expect(view.result?.extract?.files.length).toBeGreaterThan(1);
      // Every validation level ran through the source's validation endpoint (dialect mysql).
      expect(view.result?.validation, JSON.stringify(view.result?.validation)).toMatchObject({
        status: 'passed',
        count: { status: 'passed', source_rows: ROWS, target_rows: ROWS },
        schema: { status: 'passed' },
        metrics: { status: 'passed' },
        rows: { status: 'passed' },
      });
      const rows = await duckdbQuery(
        stack.duckdbFile,
        `SELECT ${PROBES.map((p) => `${p.duck} AS "${p.name}"`).join(', ')} FROM ${table} AS t ORDER BY t."id"`,
      );
      const actual = normalise(
        (rows ?? []).map((r) => PROBES.map((p) => (r[p.name] ?? null) as string | null)),
      );
      expect(actual).toHaveLength(ROWS);
      expect(actual).toEqual(await expected());
    });
  }
});
