import { exactTableName, type LogicalType } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { dialectFor, type Relation, type ValidationColumn, type ValidationEndpoint } from '@dxa/validation';
import { keptColumns, namedSelection } from '../../core/validation-relations.js';
import { parseTableName, quoteIdent, type TableName } from '../../snowflake/names.js';
import type { SessionHolder } from '../../snowflake/session.js';

const SIMPLE_TYPES: Record<string, LogicalType> = {
  BOOLEAN: 'boolean',
  FLOAT: 'float64',
  FLOAT4: 'float64',
  FLOAT8: 'float64',
  DOUBLE: 'float64',
  REAL: 'float64',
  TEXT: 'text',
  VARCHAR: 'text',
  STRING: 'text',
  CHAR: 'text',
  BINARY: 'binary',
  VARBINARY: 'binary',
  DATE: 'date',
  TIME: 'time',
  TIMESTAMP_NTZ: 'timestamp',
  DATETIME: 'timestamp',
  TIMESTAMP_TZ: 'timestamptz',
  TIMESTAMP_LTZ: 'timestamptz',
  VARIANT: 'json',
  OBJECT: 'json',
  ARRAY: 'json',
};

/**
 * A Snowflake column (INFORMATION_SCHEMA.COLUMNS `DATA_TYPE`, precision, scale) → the
 * engine-neutral type. Integers are NUMBER(p,0) in Snowflake: the precision the target's DDL gave
 * them (docs/type-mapping.md) maps back to the integer it came from.
 */
export function snowflakeValidationColumn(
  name: string,
  dataType: string,
  nullable: boolean,
  precision?: number,
  scale?: number,
): ValidationColumn {
  const base = dataType.trim().toUpperCase();
  if (base === 'NUMBER' || base === 'DECIMAL' || base === 'NUMERIC') {
    const p = precision ?? 38;
    const s = scale ?? 0;
    const engineType = `NUMBER(${p},${s})`;
    if (s === 0 && p <= 5) return { name, engineType, type: 'int16', nullable };
    if (s === 0 && p <= 10) return { name, engineType, type: 'int32', nullable };
    if (s === 0 && p <= 19) return { name, engineType, type: 'int64', nullable };
    return { name, engineType, type: 'decimal', nullable, precision: p, scale: s };
  }
  return { name, engineType: base, type: SIMPLE_TYPES[base] ?? 'text', nullable };
}

/**
 * An INFORMATION_SCHEMA view of the table's database (the session's when the name has none), and
 * the condition and binds that pick the table out of it.
 */
function informationSchema(table: TableName, view: 'TABLES' | 'COLUMNS') {
  const database = table.database === undefined ? '' : `${quoteIdent(table.database)}.`;
  return {
    from: `${database}INFORMATION_SCHEMA.${view}`,
    where: `TABLE_SCHEMA = ${table.schema === undefined ? 'CURRENT_SCHEMA()' : '?'} AND TABLE_NAME = ?`,
    binds: table.schema === undefined ? [table.table] : [table.schema, table.table],
  };
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined || value === '' ? undefined : Number(value);
}

/**
 * Validation's view of a Snowflake target, over the destination's session (one statement at a
 * time; aborting cancels the running one). Targets are tables, so only tables are described.
 */
export function createSnowflakeValidationEndpoint(holder: SessionHolder, label: string): ValidationEndpoint {
  const describe = async (relation: Relation, signal: AbortSignal): Promise<ValidationColumn[]> => {
    if (!('table' in relation))
      throw new TerminalError('CONFIG_ERROR', 'validating a query on a Snowflake target is not supported', {
        step: 'validate',
      });
    const { from, where, binds } = informationSchema(parseTableName(relation.table), 'COLUMNS');
    const session = await holder.get({ signal });
    const rows = await session.execute(
      `SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, NUMERIC_PRECISION, NUMERIC_SCALE FROM ${from} ` +
        `WHERE ${where} ORDER BY ORDINAL_POSITION`,
      { signal },
      { binds, what: `validate: describe ${relation.table}`, failure: 'BAD_SQL' },
    );
    if (rows.length === 0)
      throw new TerminalError('VALIDATION_FAILED', `table ${relation.table} does not exist in Snowflake`, {
        step: 'validate',
      });
    const columns = rows.map((r) =>
      snowflakeValidationColumn(
        String(r.COLUMN_NAME),
        String(r.DATA_TYPE),
        String(r.IS_NULLABLE).toUpperCase() !== 'NO',
        optionalNumber(r.NUMERIC_PRECISION),
        optionalNumber(r.NUMERIC_SCALE),
      ),
    );
    return keptColumns(columns, relation);
  };

  return {
    dialect: dialectFor('snowflake'),
    label: `snowflake ${label}`,

    async resolve(relation, signal) {
      if (!('table' in relation)) return relation;
      // Snowflake's reading (unquoted parts upper-cased, quoted ones exact), qualified from the catalog.
      const { from, where, binds } = informationSchema(parseTableName(relation.table), 'TABLES');
      const session = await holder.get({ signal });
      const [found] = await session.execute(
        `SELECT TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME FROM ${from} WHERE ${where}`,
        { signal },
        { binds, what: `validate: resolve ${relation.table}`, failure: 'BAD_SQL' },
      );
      if (found === undefined)
        throw new TerminalError('SOURCE_NOT_FOUND', `table ${relation.table} does not exist in Snowflake`, {
          step: 'validate',
        });
      const table = exactTableName([found.TABLE_CATALOG, found.TABLE_SCHEMA, found.TABLE_NAME].map(String));
      if (relation.columns === undefined) return { ...relation, table };
      return namedSelection(relation, table, await describe({ ...relation, table }, signal));
    },

    describe,

    async query(sql, signal) {
      const session = await holder.get({ signal });
      return session.execute(sql, { signal }, { what: 'validate: a validation query', failure: 'BAD_SQL' });
    },

    // The session belongs to the destination, which closes it.
    close: () => Promise.resolve(),
  };
}
