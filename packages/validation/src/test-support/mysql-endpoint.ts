import type { LogicalType } from '@dxa/contracts';
import mysql from 'mysql2/promise';
import { dialectFor } from '../canonical/index.js';
import type { ValidationEndpoint } from '../endpoint.js';
import type { Relation, ValidationColumn } from '../types.js';

function logicalOf(dataType: string, columnType: string): LogicalType {
  if (columnType.startsWith('tinyint(1)')) return 'boolean';
  const map: Record<string, LogicalType> = {
    tinyint: 'int16',
    smallint: 'int16',
    mediumint: 'int32',
    int: 'int32',
    bigint: 'int64',
    float: 'float32',
    double: 'float64',
    decimal: 'decimal',
    binary: 'binary',
    varbinary: 'binary',
    blob: 'binary',
    date: 'date',
    time: 'time',
    datetime: 'timestamp',
    timestamp: 'timestamptz',
    json: 'json',
    uuid: 'uuid',
  };
  return map[dataType] ?? 'text';
}

function tableOf(relation: Relation): string {
  if (!('table' in relation) || relation.columns !== undefined || relation.where !== undefined)
    throw new Error('test endpoint describes whole tables only');
  return relation.table;
}

export async function mysqlConnection(database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    ...(database ? { database } : {}),
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    charset: 'utf8mb4',
    multipleStatements: true,
  });
}

/** A minimal MariaDB/MySQL ValidationEndpoint for tests (one mysql2 connection). */
export function mysqlEndpoint(connection: mysql.Connection, label = 'mariadb test'): ValidationEndpoint {
  const rows = async (sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> => {
    const [result] = await connection.query(sql, params);
    return result as Record<string, unknown>[];
  };
  const columns = (relation: Relation) =>
    rows(
      `SELECT COLUMN_NAME AS name, DATA_TYPE AS data_type, COLUMN_TYPE AS column_type, IS_NULLABLE AS nullable,
              NUMERIC_PRECISION AS p, NUMERIC_SCALE AS s, COLUMN_KEY AS column_key
         FROM information_schema.columns WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [tableOf(relation)],
    );
  return {
    dialect: dialectFor('mysql'),
    label,
    // Tests name their tables exactly as they created them.
    resolve: (relation) => Promise.resolve(relation),
    async describe(relation): Promise<ValidationColumn[]> {
      return (await columns(relation)).map((c) => {
        const type = logicalOf(String(c.data_type), String(c.column_type));
        return {
          name: String(c.name),
          engineType: String(c.column_type),
          type,
          nullable: c.nullable === 'YES',
          ...(type === 'decimal' ? { precision: Number(c.p), scale: Number(c.s) } : {}),
        };
      });
    },
    async primaryKey(relation) {
      const pk = (await columns(relation)).filter((c) => c.column_key === 'PRI').map((c) => String(c.name));
      return pk.length > 0 ? pk : undefined;
    },
    query: (sql) => rows(sql),
    close: () => connection.end(),
  };
}
