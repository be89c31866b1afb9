import pg from 'pg';
import { PG_HOST, PG_PORT, PG_USER } from '@dxa/testing';
// bench has no @dxa/validation dependency yet: the generator is imported from the package's source.
import { dialectFor, encodedColumn, pairColumns, rowText, type ValidationColumn } from '@dxa/validation';
import { logicalTypeOf } from '@dxa/connectors';

/** The table's columns as the PostgreSQL source describes them (base type → logical type). */
async function describe(client: pg.Client, table: string): Promise<ValidationColumn[]> {
  const { rows } = await client.query<{
    name: string;
    typname: string;
    nspname: string;
    spelled: string;
    notnull: boolean;
  }>(
    `SELECT a.attname AS name, t.typname, n.nspname, format_type(a.atttypid, a.atttypmod) AS spelled, a.attnotnull AS notnull
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
  return rows.map((r) => ({
    name: r.name,
    engineType: r.spelled,
    type: logicalTypeOf({ name: r.typname, schema: r.nspname }),
    nullable: !r.notnull,
  }));
}

/**
 * The one query PostgreSQL needs to hash every row itself: the per-row hash the rows level
 * generates (md5 of the canonical row text, two 60-bit slices), summed over the whole table.
 */
export async function referenceSql(database: string, table: string): Promise<string> {
  const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: PG_USER, database });
  await client.connect();
  try {
    const columns = await describe(client, table);
    const d = dialectFor('postgresql');
    // Paired with itself: the source-side encoding the rows level uses (CHAR padding trimmed).
    const encoded = pairColumns(columns, columns).pairs.map((p) => encodedColumn(d, p, 'source'));
    const hashed = `SELECT ${d.md5(rowText(d, encoded))} AS rh FROM ${d.from({ table })}`;
    return `SELECT COUNT(*) AS n, SUM(${d.hex60('rh', 1)}) AS s1, SUM(${d.hex60('rh', 16)}) AS s2 FROM (${hashed}) t`;
  } finally {
    await client.end();
  }
}

/** Runs the reference in the session settings validation uses; returns seconds and the row count. */
export async function timeReference(
  database: string,
  sql: string,
): Promise<{ seconds: number; rows: number }> {
  const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: PG_USER, database });
  await client.connect();
  try {
    await client.query("SET TimeZone = 'UTC'");
    const started = process.hrtime.bigint();
    const { rows } = await client.query<{ n: string }>(sql);
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rows: Number(rows[0]?.n) };
  } finally {
    await client.end();
  }
}
