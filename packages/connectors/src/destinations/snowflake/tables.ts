import { TerminalError } from '@dxa/errors';
import type { RunContext } from '../../core/types.js';
import { qualified, quoteIdent, type TableName } from '../../snowflake/names.js';
import type { Row, SnowflakeSession } from '../../snowflake/session.js';

/** The first value of the first row (`COUNT(*)`, …), whatever the column is called. */
function firstValue(rows: Row[]): unknown {
  const row = rows[0];
  return row === undefined ? undefined : Object.values(row)[0];
}

export async function countRows(
  session: SnowflakeSession,
  table: TableName,
  ctx: RunContext,
): Promise<number> {
  const rows = await session.execute(`SELECT COUNT(*) FROM ${qualified(table)}`, ctx, {
    what: `count the rows of ${qualified(table)}`,
  });
  return Number(firstValue(rows) ?? 0);
}

/** The schema an unqualified table name resolves to: the session's current one. */
async function currentSchema(session: SnowflakeSession, ctx: RunContext): Promise<string> {
  const rows = await session.execute('SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()', ctx, {
    what: 'read the current schema',
  });
  const values = rows[0] === undefined ? [] : Object.values(rows[0]);
  const schema = values[1];
  if (typeof schema !== 'string' || schema === '')
    throw new TerminalError(
      'CONFIG_ERROR',
      'snowflake: the session has no current schema; set "schema" (and "database") on the connection or qualify the table',
    );
  return schema;
}

export async function tableExistsIn(
  session: SnowflakeSession,
  table: TableName,
  ctx: RunContext,
): Promise<boolean> {
  const schema = table.schema ?? (await currentSchema(session, ctx));
  const catalog =
    table.database === undefined
      ? 'INFORMATION_SCHEMA.TABLES'
      : `${quoteIdent(table.database)}.INFORMATION_SCHEMA.TABLES`;
  const rows = await session.execute(
    `SELECT COUNT(*) FROM ${catalog} WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    ctx,
    { binds: [schema, table.table], what: `look up ${qualified(table)}` },
  );
  return Number(firstValue(rows) ?? 0) > 0;
}
