import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from './reports.js';
import { runValidation } from './run.js';
import { duckdbEndpoint } from './test-support/duckdb-endpoint.js';
import { duckTorture, pgTorture, type PgTorture } from './test-support/fixtures.js';
import { postgresEndpoint } from './test-support/postgres-endpoint.js';

let pgSide: PgTorture;
let duck: DuckDBConnection;
let dir: string;

beforeAll(async () => {
  pgSide = await pgTorture();
  duck = await duckTorture();
  dir = await mkdtemp(path.join(tmpdir(), 'dxa-validation-'));
});
afterAll(async () => {
  duck.closeSync();
  await pgSide.close();
  await rm(dir, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('writes JSON, Markdown, CSV and SQL that re-selects exactly the differing rows on each side', async () => {
    await duck.run(
      'DELETE FROM torture WHERE id = 4; UPDATE torture SET t = \'changed, "quoted"\' WHERE id = 3',
    );
    const source = { endpoint: postgresEndpoint(pgSide.client), relation: { table: 'torture' } };
    const target = { endpoint: duckdbEndpoint(duck), relation: { table: 'torture' } };
    const report = await runValidation(source, target, {
      levels: ['count', 'rows'],
      signal: new AbortController().signal,
    });
    const files = await writeReports(report, dir);
    const read = (name: string) => readFile(path.join(dir, name), 'utf8');

    const json = JSON.parse(await read(files.json)) as typeof report;
    expect(json.result).toEqual(report.result);
    expect(json.result.rows?.differences).toEqual([
      { key: { id: 3 }, kind: 'mismatch', columns: ['t'] },
      { key: { id: 4 }, kind: 'missing_in_target' },
    ]);
    expect(await read(files.differencesCsv)).toBe(
      'id,kind,columns,side\n3,mismatch,t,\n4,missing_in_target,,\n',
    );
    const md = await read(files.markdown);
    expect(md).toContain('# Validation FAILED');
    expect(md).toContain('| id=4 | missing_in_target |  |');

    const sourceSql = await read(files.sourceSql);
    const targetSql = await read(files.targetSql);
    expect(sourceSql).toContain('SELECT * FROM "torture" WHERE "id" IN (3, 4)');
    const strip = (sql: string) => sql.replace(/^--.*\n/gm, '').replace(/;\s*$/, '');
    const pgIds = (await pgSide.client.query<{ id: number }>(`${strip(sourceSql)} ORDER BY 1`)).rows.map(
      (r) => r.id,
    );
    const duckIds = (await duck.runAndReadAll(strip(targetSql))).getRowObjectsJson().map((r) => r.id);
    expect(pgIds).toEqual([3, 4]);
    expect(duckIds).toEqual([3]);
  });
});
