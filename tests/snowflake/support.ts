import type { SnowflakeTargetConfig } from '@dxa/connectors/src/snowflake/options.js';
import { rowsChecksum, type ChecksumColumn, type TableChecksum } from '@dxa/testing';
import {
  startSnowflakeFake,
  type SnowflakeFake,
  type SnowflakeFakeOptions,
} from '../fakes/snowflake/index.js';

export const USER = 'loader';
export const PASSWORD = 'pa55-w0rd-loader';

export function startFake(options: Partial<SnowflakeFakeOptions> = {}): Promise<SnowflakeFake> {
  return startSnowflakeFake({ users: { [USER]: { password: PASSWORD } }, ...options });
}

/** A target configuration pointing at the fake, password authentication unless overridden. */
export function targetConfig(
  fake: SnowflakeFake,
  extra: Partial<SnowflakeTargetConfig> = {},
): SnowflakeTargetConfig {
  return {
    type: 'snowflake',
    account: fake.account,
    user: USER,
    password: PASSWORD,
    access_url: fake.accessUrl,
    warehouse: 'WH',
    database: fake.database,
    schema: fake.schema,
    ...extra,
  };
}

const qi = (s: string) => `"${s.replaceAll('"', '""')}"`;

/**
 * Checksum of a table in the fake (its DuckDB engine), comparable with pgTableChecksum of the
 * source: each column is rendered as text the way the PostgreSQL side renders its kind. CSV loads
 * keep binary as the interchange text `\x…`, so its hex digits are taken after the prefix.
 */
export async function fakeTableChecksum(
  fake: SnowflakeFake,
  table: string,
  columns: ChecksumColumn[],
): Promise<TableChecksum> {
  const select = columns
    .map((c) =>
      c.kind === 'bytes'
        ? `CASE WHEN typeof(${qi(c.name)}) = 'BLOB' THEN lower(hex(${qi(c.name)})) ELSE lower(replace(CAST(${qi(c.name)} AS VARCHAR), '\\x', '')) END`
        : `CAST(${qi(c.name)} AS VARCHAR)`,
    )
    .map((expr, i) => `${expr} AS c${i}`)
    .join(', ');
  const rows = await fake.engine.query(`SELECT ${select} FROM ${table}`);
  return rowsChecksum(
    columns,
    rows.map((r) => columns.map((_, i) => (r[`c${i}`] === null ? null : String(r[`c${i}`])))),
  );
}

/** Table names in the fake's default schema (scratch tables end in `__dxa_<job>`). */
export async function tablesInFake(fake: SnowflakeFake): Promise<string[]> {
  const rows = await fake.engine.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = '${fake.schema}' ORDER BY table_name`,
  );
  return rows.map((r) => String(r.table_name));
}
