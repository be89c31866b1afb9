import type { Pool, PoolConfig } from 'pg';
import type { PostgresConnection } from './description.js';
import { dialectFor, type ValidationEndpoint } from '@dxa/validation';
import { readOnlyRunner } from '../../core/sql-kit/session.js';
import { relationLabel, selectionKey, toValidationColumn } from '../../core/validation-relations.js';
import { describeQuery, describeTable, resolveSelection, resolveTable, type NameReading } from './catalog.js';
import { BEGIN_EXTRACT, pgEngine } from './session.js';

export type PgEndpointOptions = {
  /** The connector's pool: the endpoint borrows clients from it and never ends it. */
  pool: Pool;
  config: PoolConfig;
  password: string | undefined;
  /** e.g. `postgresql app@db.internal/sales`, for reports. */
  label: string;
  /** How table names are read: as SQL (a source) or exactly as written (a target). */
  names: NameReading;
};

/** `postgresql user@host:port/database`: no password, nothing from extra options. */
export function pgEndpointLabel(conn: PostgresConnection): string {
  return `postgresql ${conn.username}@${conn.host}:${conn.port}/${conn.database}`;
}

const PRIMARY_KEY_SQL = `SELECT a.attname
   FROM pg_catalog.pg_index i
   CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
   JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
  WHERE i.indrelid = $1::oid AND i.indisprimary
  ORDER BY k.ord`;

/**
 * Validation's view of a PostgreSQL connection, shared by the source and the target: every
 * statement runs in a read-only transaction with the settings that fix how values print (UTC,
 * ISO dates, hex bytea, shortest exact floats); aborting cancels the backend's statement.
 */
export function createPgValidationEndpoint(options: PgEndpointOptions): ValidationEndpoint {
  const readOnly = readOnlyRunner(pgEngine(options.pool, options.config), {
    begin: (client) => client.query(BEGIN_EXTRACT),
    step: 'validate',
    password: options.password,
  });

  return {
    dialect: dialectFor('postgresql'),
    label: options.label,

    async resolve(relation, signal) {
      if (!('table' in relation)) return relation;
      return readOnly(`resolve ${relation.table}`, signal, (client) =>
        resolveSelection(client, relation, options.names),
      );
    },

    async describe(relation, signal) {
      const description = await readOnly(`describe ${relationLabel(relation)}`, signal, (client) =>
        'table' in relation ? describeTable(client, relation) : describeQuery(client, relation.query),
      );
      return description.columns.map(toValidationColumn);
    },

    async query(sql, signal) {
      return readOnly(
        'validation query',
        signal,
        async (client) => (await client.query<Record<string, unknown>>(sql)).rows,
      );
    },

    async primaryKey(relation, signal) {
      if (!('table' in relation)) return undefined;
      return readOnly(`look up the primary key of ${relation.table}`, signal, async (client) => {
        const resolved = await resolveTable(client, relation.table);
        const { rows } = await client.query<{ attname: string }>(PRIMARY_KEY_SQL, [resolved.oid]);
        return selectionKey(
          rows.map((r) => r.attname),
          relation,
        );
      });
    },

    // The pool belongs to the connector, which ends it.
    close: () => Promise.resolve(),
  };
}
