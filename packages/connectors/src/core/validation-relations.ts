import type { Column, SourceRef } from '@dxa/contracts';
import type { Relation, Selection, ValidationColumn } from '@dxa/validation';
import { findByName, selectColumns } from './names.js';

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

/** The selection a table source names: its table, and its columns and filter when it has them. */
export function selectionOf(ref: SourceRef & { table: string }): Selection {
  return {
    table: ref.table,
    ...(ref.columns === undefined ? {} : { columns: ref.columns }),
    ...(ref.where === undefined ? {} : { where: ref.where }),
  };
}

/** What a source reads, as validation names it: the selection of a table, or the query. */
export function sourceRelation(ref: SourceRef): Relation {
  return ref.table === undefined ? { query: ref.query ?? '' } : selectionOf({ ...ref, table: ref.table });
}

/**
 * The selection with the names the catalog gave: `table` exact, the kept columns (when it names
 * any) spelled as the catalog spells them.
 */
export function namedSelection(selection: Selection, table: string, kept: { name: string }[]): Selection {
  return {
    ...selection,
    table,
    ...(selection.columns === undefined ? {} : { columns: kept.map((c) => c.name) }),
  };
}

/** The columns a selection keeps, in its order (all of them when it names none). */
export function keptColumns<T extends { name: string }>(all: T[], selection: Selection): T[] {
  return selectColumns(all, selection.columns, selection.table);
}

/** A table's primary key is the key of a selection only when the selection keeps every key column. */
export function selectionKey(primaryKey: string[], selection: Selection): string[] | undefined {
  if (primaryKey.length === 0) return undefined;
  const kept = selection.columns;
  if (kept === undefined) return primaryKey;
  return primaryKey.every((k) => findByName(kept, (c) => c, k) !== undefined) ? primaryKey : undefined;
}
