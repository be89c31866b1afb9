import pg from 'pg';

export const DEMO_TABLE = 'public.demo_orders';

/** Varied column types, with NULLs, empty strings, quotes, newlines and multi-byte text mixed in. */
const CREATE_SQL = `
CREATE TABLE public.demo_orders (
  id          bigint PRIMARY KEY,
  customer_id integer NOT NULL,
  quantity    smallint NOT NULL,
  amount      numeric(12,2) NOT NULL,
  weight_kg   double precision,
  paid        boolean NOT NULL,
  status      varchar(16) NOT NULL,
  note        text,
  ordered_at  timestamptz NOT NULL,
  ship_date   date,
  sku         uuid NOT NULL,
  attributes  jsonb,
  thumbnail   bytea
)`;

const FILL_SQL = `
INSERT INTO public.demo_orders
SELECT g,
       (g * 7919) % 100000,
       (g % 20)::smallint + 1,
       round(((g * 37) % 100000) / 100.0, 2),
       CASE WHEN g % 11 = 0 THEN NULL ELSE (g % 1000) / 7.0 END,
       g % 3 <> 0,
       (ARRAY['new','paid','shipped','returned'])[g % 4 + 1],
       CASE g % 6 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'gift, wrap "nicely"' WHEN 3 THEN E'line one\\nline two'
                  WHEN 4 THEN 'Grüße aus Köln – 東京 🚚' ELSE 'note ' || g END,
       timestamptz '2024-01-01 00:00:00+00' + (g * interval '17 seconds'),
       CASE WHEN g % 9 = 0 THEN NULL ELSE date '2024-01-01' + (g % 400)::int END,
       md5(g::text)::uuid,
       CASE WHEN g % 5 = 0 THEN NULL ELSE jsonb_build_object('gift', g % 2 = 0, 'tags', jsonb_build_array('a', g % 10)) END,
       CASE WHEN g % 4 = 0 THEN decode(md5(g::text), 'hex') ELSE NULL END
FROM generate_series(1, $1::bigint) AS g`;

export type DemoDatabase = {
  connectionString: string;
  host: string;
  port: number;
  user: string;
  database: string;
};

export function demoDatabase(env: NodeJS.ProcessEnv): DemoDatabase {
  const host = env.PGHOST && !env.PGHOST.startsWith('/') ? env.PGHOST : '127.0.0.1';
  const port = Number(env.PGPORT ?? 5432);
  const user = env.PGUSER ?? 'postgres';
  const database = env.DXA_DEMO_DATABASE ?? 'dxa_demo';
  return {
    host,
    port,
    user,
    database,
    connectionString: `postgres://${encodeURIComponent(user)}@${host}:${port}/${database}`,
  };
}

/** Creates the demo database and table unless a table with exactly `rows` rows is already there. */
export async function ensureSampleTable(
  db: DemoDatabase,
  rows: number,
  log: (line: string) => void,
): Promise<{ created: boolean }> {
  const admin = new pg.Client({
    host: db.host,
    port: db.port,
    user: db.user,
    database: 'postgres',
    password: process.env.PGPASSWORD,
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${db.database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
  const client = new pg.Client({
    host: db.host,
    port: db.port,
    user: db.user,
    database: db.database,
    password: process.env.PGPASSWORD,
  });
  await client.connect();
  try {
    const exists = await client.query<{ e: boolean }>(
      "SELECT to_regclass('public.demo_orders') IS NOT NULL AS e",
    );
    if (exists.rows[0]?.e === true) {
      const present = await client.query<{ n: string }>('SELECT count(*) AS n FROM public.demo_orders');
      if (Number(present.rows[0]?.n) === rows) return { created: false };
    }
    log(`creating ${DEMO_TABLE} with ${rows.toLocaleString('en-US')} rows in database ${db.database} …`);
    await client.query('DROP TABLE IF EXISTS public.demo_orders');
    await client.query(CREATE_SQL);
    await client.query(FILL_SQL, [rows]);
    await client.query('ANALYZE public.demo_orders');
    return { created: true };
  } finally {
    await client.end();
  }
}
