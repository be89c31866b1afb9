import type { LogicalType } from '@dxa/contracts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { dialectFor } from '../canonical/index.js';
import type { ValidationEndpoint } from '../endpoint.js';
import type { Relation, ValidationColumn } from '../types.js';

function logicalOf(dataType: string): LogicalType {
  const t = dataType.toUpperCase();
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'TINYINT' || t === 'SMALLINT') return 'int16';
  if (t === 'INTEGER') return 'int32';
  if (t === 'BIGINT') return 'int64';
  if (t === 'FLOAT') return 'float32';
  if (t === 'DOUBLE') return 'float64';
  if (t.startsWith('DECIMAL') || t === 'HUGEINT') return 'decimal';
  if (t === 'BLOB') return 'binary';
  if (t === 'DATE') return 'date';
  if (t === 'TIME') return 'time';
  if (t === 'TIMESTAMP') return 'timestamp';
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'timestamptz';
  if (t === 'INTERVAL') return 'interval';
  if (t === 'UUID') return 'uuid';
  if (t === 'JSON') return 'json';
  return 'text';
}

function tableOf(relation: Relation): string {
  if (!('table' in relation) || relation.columns !== undefined || relation.where !== undefined)
    throw new Error('test endpoint describes whole tables only');
  return relation.table;
}

/** A minimal DuckDB ValidationEndpoint for tests (one connection; in-memory or a temp file). */
export function duckdbEndpoint(connection: DuckDBConnection, label = 'duckdb test'): ValidationEndpoint {
  const rows = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await connection.runAndReadAll(sql)).getRowObjectsJson();
  return {
    dialect: dialectFor('duckdb'),
    label,
    // Tests name their tables exactly as they created them.
    resolve: (relation) => Promise.resolve(relation),
    async describe(relation): Promise<ValidationColumn[]> {
      const table = tableOf(relation).replaceAll("'", "''");
      const cols = await rows(
        `SELECT column_name, data_type, is_nullable, numeric_precision, numeric_scale
           FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`,
      );
      return cols.map((c) => {
        const type = logicalOf(String(c.data_type));
        return {
          name: String(c.column_name),
          engineType: String(c.data_type),
          type,
          nullable: c.is_nullable === 'YES',
          ...(type === 'decimal'
            ? { precision: Number(c.numeric_precision), scale: Number(c.numeric_scale) }
            : {}),
        };
      });
    },
    query: (sql) => rows(sql),
    close: () => Promise.resolve(connection.closeSync()),
  };
}
