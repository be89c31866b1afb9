import type { DuckDBConnection } from '@duckdb/node-api';
import { exactTableName, type LogicalType } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { dialectFor, type Relation, type ValidationColumn, type ValidationEndpoint } from '@dxa/validation';
import { keptColumns, namedSelection, selectionKey } from '../../core/validation-relations.js';
import { wrapDuckdbValidationError, type ValidationWrapOptions } from './errors.js';
import { abortError } from './session.js';
import { parseTableName, qualified, tableWhere, type TableName } from './sql.js';

/** Runs `fn` on a read-only session of the database file (queued in-process, retried while locked). */
export type ReadOnlySession = <T>(signal: AbortSignal, fn: (c: DuckDBConnection) => Promise<T>) => Promise<T>;

const SIMPLE_TYPES: Record<string, LogicalType> = {
  BOOLEAN: 'boolean',
  TINYINT: 'int16',
  UTINYINT: 'int16',
  SMALLINT: 'int16',
  USMALLINT: 'int32',
  INTEGER: 'int32',
  UINTEGER: 'int64',
  BIGINT: 'int64',
  UBIGINT: 'decimal',
  HUGEINT: 'decimal',
  UHUGEINT: 'decimal',
  FLOAT: 'float32',
  DOUBLE: 'float64',
  VARCHAR: 'text',
  BLOB: 'binary',
  DATE: 'date',
  TIME: 'time',
  TIMESTAMP: 'timestamp',
  TIMESTAMP_S: 'timestamp',
  TIMESTAMP_MS: 'timestamp',
  TIMESTAMP_NS: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  INTERVAL: 'interval',
  UUID: 'uuid',
  JSON: 'json',
  // TIME WITH TIME ZONE, ENUM, BIT, lists, structs, maps, unions: compared as their text.
};

/** A DuckDB type as `DESCRIBE` spells it → the engine-neutral column it holds. */
export function duckdbValidationColumn(
  name: string,
  engineType: string,
  nullable: boolean,
): ValidationColumn {
  const spelled = engineType.trim().toUpperCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(spelled);
  if (decimal) {
    return {
      name,
      engineType,
      type: 'decimal',
      nullable,
      precision: Number(decimal[1]),
      scale: Number(decimal[2]),
    };
  }
  return { name, engineType, type: SIMPLE_TYPES[spelled] ?? 'text', nullable };
}

/** DESCRIBE's text columns come back as strings; anything else is a driver surprise. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function describeSql(relation: Relation): string {
  return 'table' in relation
    ? `DESCRIBE ${qualified(parseTableName(relation.table))}`
    : `DESCRIBE SELECT * FROM (\n${relation.query.trim().replace(/;+\s*$/, '')}\n) AS q`;
}

/** The table's parts as the catalog spells them, or undefined when there is no such table. */
async function catalogName(c: DuckDBConnection, name: TableName): Promise<TableName | undefined> {
  const { where, params } = tableWhere(name);
  const reader = await c.runAndReadAll(
    `SELECT database_name AS d, schema_name AS s, table_name AS t FROM duckdb_tables() WHERE ${where}`,
    params,
  );
  const row = reader.getRowObjectsJson()[0];
  if (row === undefined) return undefined;
  // Qualified to the schema, as the session reads the file; the database too when the job named one.
  const schema = name.schema.length === 2 ? [textOf(row.d), textOf(row.s)] : [textOf(row.s)];
  return { schema, table: textOf(row.t) };
}

/**
 * Validation's view of the DuckDB file. Every statement opens the file read-only through the
 * destination's session opener (its in-process queue and lock retry) and closes it right after,
 * so validation never keeps a lock that a load in another worker waits for. Failures carry the
 * validate step's codes (see wrapDuckdbValidationError).
 */
export function createDuckdbValidationEndpoint(
  file: string,
  session: ReadOnlySession,
  memoryLimit: string,
): ValidationEndpoint {
  const run = async <T>(
    what: string,
    signal: AbortSignal,
    fn: (c: DuckDBConnection) => Promise<T>,
    refused: ValidationWrapOptions['refused'] = 'VALIDATION_ERROR',
  ) =>
    session(signal, fn).catch((err: unknown) => {
      if (signal.aborted) throw abortError(signal);
      throw wrapDuckdbValidationError(err, what, { memoryLimit, refused });
    });

  const describe = async (relation: Relation, signal: AbortSignal): Promise<ValidationColumn[]> => {
    const what = `validate: describing ${'table' in relation ? relation.table : 'the query'} in DuckDB`;
    // A query the engine refuses is bad SQL; a missing table, validation that cannot run.
    const refused = 'table' in relation ? 'VALIDATION_ERROR' : 'BAD_SQL';
    const columns = await run(
      what,
      signal,
      async (c) => {
        const reader = await c.runAndReadAll(describeSql(relation));
        return reader.getRowObjectsJson().map((row) =>
          duckdbValidationColumn(
            textOf(row.column_name),
            textOf(row.column_type),
            // DESCRIBE of a query cannot know, and says YES.
            textOf(row.null).toUpperCase() !== 'NO',
          ),
        );
      },
      refused,
    );
    return 'table' in relation ? keptColumns(columns, relation) : columns;
  };

  return {
    dialect: dialectFor('duckdb'),
    label: `duckdb ${file}`,

    async resolve(relation, signal) {
      if (!('table' in relation)) return relation;
      const name = parseTableName(relation.table);
      const found = await run(`validate: resolving ${relation.table} in DuckDB`, signal, (c) =>
        catalogName(c, name),
      );
      if (found === undefined)
        throw new TerminalError('SOURCE_NOT_FOUND', `table ${relation.table} does not exist in DuckDB`, {
          step: 'validate',
        });
      const table = exactTableName([...found.schema, found.table]);
      if (relation.columns === undefined) return { ...relation, table };
      return namedSelection(relation, table, await describe({ ...relation, table }, signal));
    },

    describe,

    async query(sql, signal) {
      return run(
        'validate: a validation query in DuckDB',
        signal,
        async (c) => {
          if (signal.aborted) throw abortError(signal);
          const reader = await c.runAndReadAll(sql);
          return reader.getRowObjectsJson();
        },
        'BAD_SQL',
      );
    },

    async primaryKey(relation, signal) {
      if (!('table' in relation)) return undefined;
      const { where, params } = tableWhere(parseTableName(relation.table));
      return run(`validate: looking up the primary key of ${relation.table}`, signal, async (c) => {
        const reader = await c.runAndReadAll(
          `SELECT constraint_column_names AS names FROM duckdb_constraints()
            WHERE constraint_type = 'PRIMARY KEY' AND ${where}`,
          params,
        );
        const names = reader.getRowObjectsJson()[0]?.names;
        return Array.isArray(names) ? selectionKey(names.map(String), relation) : undefined;
      });
    },

    // Nothing stays open between statements.
    close: () => Promise.resolve(),
  };
}
