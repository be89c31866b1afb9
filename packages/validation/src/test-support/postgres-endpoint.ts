import type { LogicalType } from '@dxa/contracts';
import type pg from 'pg';
import { dialectFor } from '../canonical/index.js';
import type { ValidationEndpoint } from '../endpoint.js';
import type { Relation, ValidationColumn } from '../types.js';

const PG_TYPES: Record<string, LogicalType> = {
  bool: 'boolean',
  int2: 'int16',
  int4: 'int32',
  int8: 'int64',
  float4: 'float32',
  float8: 'float64',
  numeric: 'decimal',
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  name: 'text',
  bytea: 'binary',
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  interval: 'interval',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'json',
};

function tableOf(relation: Relation): string {
  if (!('table' in relation) || relation.columns !== undefined || relation.where !== undefined)
    throw new Error('test endpoint describes whole tables only');
  return relation.table;
}

/** A minimal PostgreSQL ValidationEndpoint for tests (one pg.Client). */
export function postgresEndpoint(client: pg.Client, label = 'postgresql test'): ValidationEndpoint {
  return {
    dialect: dialectFor('postgresql'),
    label,
    // Tests name their tables exactly as they created them.
    resolve: (relation) => Promise.resolve(relation),
    async describe(relation): Promise<ValidationColumn[]> {
      const r = await client.query<{
        name: string;
        typname: string;
        engine_type: string;
        notnull: boolean;
        typmod: number;
      }>(
        `SELECT a.attname AS name, t.typname, format_type(a.atttypid, a.atttypmod) AS engine_type,
                a.attnotnull AS notnull, a.atttypmod AS typmod
           FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
          WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [tableOf(relation)],
      );
      return r.rows.map((c) => {
        const type = PG_TYPES[c.typname] ?? 'text';
        const numeric = type === 'decimal' && c.typmod >= 4;
        return {
          name: c.name,
          engineType: c.engine_type,
          type,
          nullable: !c.notnull,
          ...(numeric ? { precision: ((c.typmod - 4) >> 16) & 0xffff, scale: (c.typmod - 4) & 0xffff } : {}),
        };
      });
    },
    async primaryKey(relation) {
      const r = await client.query<{ name: string }>(
        `SELECT a.attname AS name FROM pg_index i
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
        [tableOf(relation)],
      );
      return r.rows.length > 0 ? r.rows.map((x) => x.name) : undefined;
    },
    async query(sql) {
      return (await client.query<Record<string, unknown>>(sql)).rows;
    },
    async close() {
      await client.end();
    },
  };
}
