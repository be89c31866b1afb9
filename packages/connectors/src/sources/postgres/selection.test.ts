import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@dxa/logger';
import { runValidation, type Selection, type ValidationEndpoint } from '@dxa/validation';
import { createPostgresDestination } from '../../destinations/postgres/index.js';
import type { DestinationConnector, SourceConnector } from '../../core/types.js';
import { createPostgresSource } from './source.js';
import { createTestDatabase, parseCsv, readAll, type TestDatabase } from './test-support.js';

const logger = createLogger('pg-selection-test');
const signal = () => new AbortController().signal;

// Mixed case, a space and a double quote in names; the columns spelled with another case than
// the catalog's; a filter naming a column that is not selected, ending in a comment.
const SELECTION: Selection = {
  table: '"Sales"."Orders"',
  columns: ['custname', 'Amount Due', 'ID', 'odd"col'],
  where: '"Amount Due" >= 50 OR note IS NULL -- big or unnoted',
};
const CATALOG_COLUMNS = ['CustName', 'Amount Due', 'id', 'odd"col'];
const LEVELS = ['count', 'schema', 'metrics', 'rows'] as const;

describe('a PostgreSQL table narrowed by columns and where, extracted and validated alike', () => {
  let db: TestDatabase;
  let source: SourceConnector;
  let target: DestinationConnector;
  let sourceEndpoint: ValidationEndpoint;
  let targetEndpoint: ValidationEndpoint;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.query(`
      CREATE SCHEMA "Sales";
      CREATE TABLE "Sales"."Orders" (id int PRIMARY KEY, "Amount Due" numeric(10,2), "CustName" text,
                                     "odd""col" text, note text);
      INSERT INTO "Sales"."Orders"
      SELECT g, g * 0.37, 'Cust ' || g % 7, CASE WHEN g % 5 = 0 THEN NULL ELSE md5(g::text) END,
             CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' END
        FROM generate_series(1, 500) AS g;
      CREATE TABLE public.copy ("CustName" text, "Amount Due" numeric(10,2), id int NOT NULL, "odd""col" text);
      INSERT INTO public.copy SELECT "CustName", "Amount Due", id, "odd""col" FROM "Sales"."Orders"
        WHERE "Amount Due" >= 50 OR note IS NULL;
      CREATE TABLE public."MixedCase" (x int);`);
    source = createPostgresSource(db.conn, logger);
    target = createPostgresDestination(db.conn, logger);
    sourceEndpoint = source.validationEndpoint!();
    targetEndpoint = target.validationEndpoint!();
  });

  afterAll(async () => {
    await sourceEndpoint?.close();
    await targetEndpoint?.close();
    await source?.close();
    await target?.close();
    await db?.drop();
  });

  it('names the selection as the catalog spells it, and keeps the primary key only when it is selected', async () => {
    const resolved = await sourceEndpoint.resolve(SELECTION, signal());
    expect(resolved).toEqual({ ...SELECTION, columns: CATALOG_COLUMNS });
    expect(await sourceEndpoint.primaryKey!(resolved, signal())).toEqual(['id']);
    expect(
      await sourceEndpoint.primaryKey!({ ...resolved, columns: ['CustName', 'Amount Due'] }, signal()),
    ).toBeUndefined();
    const described = await sourceEndpoint.describe(resolved, signal());
    expect(described.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['CustName', 'text', true],
      ['Amount Due', 'decimal', true],
      ['id', 'int32', false],
      ['odd"col', 'text', true],
    ]);
  });

  it('reads a source name as SQL does and a target name exactly as written', async () => {
    expect(await targetEndpoint.resolve({ table: 'public.MixedCase' }, signal())).toEqual({
      table: '"public"."MixedCase"',
    });
    // Unquoted, PostgreSQL folds it to public.mixedcase, which does not exist.
    await expect(sourceEndpoint.resolve({ table: 'public.MixedCase' }, signal())).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
    });
  });

  it('validates the selection against an exact copy with zero differences, keyed by the primary key', async () => {
    const report = await runValidation(
      { endpoint: sourceEndpoint, relation: SELECTION },
      { endpoint: targetEndpoint, relation: { table: 'public.copy' } },
      { levels: LEVELS, signal: signal() },
    );
    expect(report.result.status, JSON.stringify(report.result)).toBe('passed');
    for (const level of ['schema', 'metrics', 'rows'] as const)
      expect(report.result[level], level).toMatchObject({ status: 'passed', differences: [] });
    expect(report.key).toEqual(['id']);
    const { rows } = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM public.copy');
    expect(report.result.count).toEqual({
      status: 'passed',
      source_rows: rows[0]?.n,
      target_rows: rows[0]?.n,
    });

    // The extract of the same selection reads the same columns and rows.
    const ref = { connection: 'pg', table: SELECTION.table, columns: [...(SELECTION.columns ?? [])] };
    const full = { ...ref, ...(SELECTION.where === undefined ? {} : { where: SELECTION.where }) };
    const { columns } = await source.describe(full, { signal: signal() });
    const csv = parseCsv(await readAll(await source.extractCsv(full, columns, { signal: signal() })));
    expect(csv[0]).toEqual(CATALOG_COLUMNS);
    expect(csv).toHaveLength((rows[0]?.n ?? 0) + 1);
  });

  it('reports one changed cell of the copy with exactly its key and column', async () => {
    await db.sql.query(`UPDATE public.copy SET "odd""col" = 'changed' WHERE id = 150`);
    const report = await runValidation(
      { endpoint: sourceEndpoint, relation: SELECTION },
      { endpoint: targetEndpoint, relation: { table: 'public.copy' } },
      { levels: ['rows'], signal: signal() },
    );
    expect(report.result.rows?.differences).toEqual([
      { key: { id: 150 }, kind: 'mismatch', columns: ['odd"col'] },
    ]);
  });
});
