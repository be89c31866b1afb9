import type { Pool, PoolOptions, RowDataPacket } from 'mysql2/promise';
import type { MysqlConnection } from './description.js';
import { dialectFor, type ValidationEndpoint } from '@dxa/validation';
import { readOnlyRunner } from '../../core/sql-kit/session.js';
import { relationLabel, selectionKey, toValidationColumn } from '../../core/validation-relations.js';
import { describeQuery, describeTable, resolveSelection, resolveTable } from './catalog.js';
import { beginSnapshot, mysqlEngine } from './session.js';

export type MysqlEndpointOptions = {
  /** The connector's pool: the endpoint borrows connections from it and never ends it. */
  pool: Pool;
  options: PoolOptions;
  password: string | undefined;
  /** e.g. `mysql app@db.internal:3306/sales`, for reports. */
  label: string;
};

/** `mysql user@host:port/database`: no password, nothing from extra options. */
export function mysqlEndpointLabel(conn: MysqlConnection): string {
  return `mysql ${conn.username ?? ''}@${conn.host}:${conn.port}/${conn.database ?? ''}`;
}

/**
 * Validation's view of a MySQL / MariaDB source with the `mysql` dialect of @dxa/validation:
 * every statement runs in the extract's read-only snapshot session (UTC time zone); aborting
 * kills the server thread.
 */
export function createMysqlValidationEndpoint(endpoint: MysqlEndpointOptions): ValidationEndpoint {
  const readOnly = readOnlyRunner(mysqlEngine(endpoint.pool, endpoint.options), {
    begin: beginSnapshot,
    step: 'validate',
    password: endpoint.password,
  });

  return {
    dialect: dialectFor('mysql'),
    label: endpoint.label,

    async resolve(relation, signal) {
      if (!('table' in relation)) return relation;
      const resolved = await readOnly(`resolve ${relation.table}`, signal, (c) =>
        resolveSelection(c, relation),
      );
      return resolved.selection;
    },

    async describe(relation, signal) {
      const description = await readOnly(`describe ${relationLabel(relation)}`, signal, (c) =>
        'table' in relation ? describeTable(c, relation) : describeQuery(c, relation.query),
      );
      return description.columns.map(toValidationColumn);
    },

    query(sql, signal) {
      return readOnly('validation query', signal, async (c) => (await c.query<RowDataPacket[]>(sql))[0]);
    },

    async primaryKey(relation, signal) {
      if (!('table' in relation)) return undefined;
      return readOnly(`look up the primary key of ${relation.table}`, signal, async (c) => {
        const resolved = await resolveTable(c, relation.table);
        const [rows] = await c.query<RowDataPacket[]>(
          `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
            WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY'
            ORDER BY ORDINAL_POSITION`,
          [resolved.schema, resolved.name],
        );
        return selectionKey(
          rows.map((r) => String(r['name'])),
          relation,
        );
      });
    },

    // The pool belongs to the connector, which ends it.
    close: () => Promise.resolve(),
  };
}
