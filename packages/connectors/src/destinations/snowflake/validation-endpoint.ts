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

function columnsSql(table: TableName): { sql: string; schemaBound: boolean } {
  const catalog =
    table.database === undefined
      ? 'INFORMATION_SCHEMA.COLUMNS'
      : `${quoteIdent(table.database)}.INFORMATION_SCHEMA.COLUMNS`;
  const schema = table.schema === undefined ? 'CURRENT_SCHEMA()' : '?';
  return {
    sql:
      `SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, NUMERIC_PRECISION, NUMERIC_SCALE FROM ${catalog} ` +
      `WHERE TABLE_SCHEMA = ${schema} AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    schemaBound: table.schema !== undefined,
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
    const table = parseTableName(relation.table);
    const { sql, schemaBound } = columnsSql(table);
    const session = await holder.get({ signal });
    const rows = await session.execute(
      sql,
      { signal },
      {
        binds: schemaBound ? [table.schema ?? '', table.table] : [table.table],
        what: `validate: describe ${relation.table}`,
        failure: 'BAD_SQL',
      },
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
      // Snowflake's reading: unquoted parts upper-cased, quoted ones exact.
      const name = parseTableName(relation.table);
      const table = exactTableName(
        [name.database, name.schema, name.table].filter((p): p is string => p !== undefined),
      );
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
