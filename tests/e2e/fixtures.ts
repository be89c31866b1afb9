import type { TestDatabase } from '@dxa/testing';

/** A table with varied column types and awkward values; `rows` rows, key `id`. */
export async function createOrdersTable(db: TestDatabase, table: string, rows: number): Promise<void> {
  await db.query(`
    CREATE TABLE ${table} (
      id bigint PRIMARY KEY, qty smallint NOT NULL, customer integer, amount numeric(12,2), ratio double precision,
      paid boolean, status varchar(10), note text, at timestamptz, day date, sku uuid, attrs jsonb, blob bytea
    )`);
  await db.query(
    `INSERT INTO ${table}
     SELECT g, (g % 100)::smallint, CASE WHEN g % 13 = 0 THEN NULL ELSE g * 3 END, round((g * 1.37)::numeric, 2),
            CASE WHEN g % 17 = 0 THEN NULL ELSE g / 3.0 END, g % 2 = 0, (ARRAY['new','paid','sent'])[g % 3 + 1],
            CASE g % 7 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'comma, "quote"' WHEN 3 THEN E'two\\nlines'
                       WHEN 4 THEN 'ünïcødé ✓ 東京' WHEN 5 THEN E'tab\\there\\\\back' ELSE 'n' || g END,
            timestamptz '2023-05-01 12:00:00.123456+02' + g * interval '1 minute 3.5 seconds',
            date '2020-02-29' + (g % 1000), md5(g::text)::uuid,
            CASE WHEN g % 4 = 0 THEN NULL ELSE jsonb_build_object('g', g, 'even', g % 2 = 0) END,
            CASE WHEN g % 5 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END
     FROM generate_series(1, $1::int) g`,
    [rows],
  );
  await db.query(`ANALYZE ${table}`);
}

/** `[connections.stage.<name>]` for a bucket of the s3rver fixture, under `prefix`. */
export function s3StageToml(
  name: string,
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string },
  bucket: string,
  prefix: string,
): string {
  return `
[connections.stage.${name}]
type = "s3"
bucket_name = "${bucket}"
prefix = "${prefix}"
endpoint = "${s3.endpoint}"
force_path_style = true
access_key_id = "${s3.accessKeyId}"
secret_access_key = "${s3.secretAccessKey}"
`;
}

/** `[connections.stage.<name>]` for a container of the Azurite fixture (connection string), under `prefix`. */
export function azureStageToml(
  name: string,
  azurite: { connectionString: string },
  container: string,
  prefix: string,
): string {
  return `
[connections.stage.${name}]
type = "azure_blob"
container_name = "${container}"
prefix = "${prefix}"
connection_string = "${azurite.connectionString}"
`;
}
