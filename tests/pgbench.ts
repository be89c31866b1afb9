import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { PG_HOST, PG_PORT, PG_USER, ensureDatabase } from '@dxa/testing';

/** A pgbench database at `scale` (100,000 accounts per unit), built once and reused across runs. */
export async function ensurePgbench(scale: number): Promise<string> {
  const database = `dxa_pgbench_s${scale}`;
  await ensureDatabase(database);
  const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: PG_USER, database });
  await client.connect();
  try {
    const exists = await client.query<{ e: boolean }>(
      "SELECT to_regclass('public.pgbench_accounts') IS NOT NULL AS e",
    );
    if (exists.rows[0]?.e === true) {
      const r = await client.query<{ n: string }>('SELECT count(*) AS n FROM pgbench_accounts');
      if (Number(r.rows[0]?.n) === scale * 100_000) return database;
    }
  } finally {
    await client.end();
  }
  const init = spawnSync(
    'pgbench',
    ['-i', '-q', '-s', String(scale), '-h', PG_HOST, '-p', String(PG_PORT), '-U', PG_USER, database],
    {
      encoding: 'utf8',
    },
  );
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  return database;
}
