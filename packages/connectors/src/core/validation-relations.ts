import type { Column } from '@dxa/contracts';
import type { Relation, ValidationColumn } from '@dxa/validation';

// What every engine's validation endpoint shares (kept out of the engine folders so that one
// endpoint does not load another's driver).

/** A described column as validation sees it. */
export function toValidationColumn(column: Column): ValidationColumn {
  return {
    name: column.name,
    engineType: column.sourceType,
    type: column.type,
    nullable: column.nullable,
    ...(column.precision === undefined ? {} : { precision: column.precision }),
    ...(column.scale === undefined ? {} : { scale: column.scale }),
  };
}

/** The relation's name in messages: its table, or `query`. */
export function relationLabel(relation: Relation): string {
  return 'table' in relation ? relation.table : 'query';
}
