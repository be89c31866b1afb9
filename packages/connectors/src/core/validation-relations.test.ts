import { describe, expect, it } from 'vitest';
import { keptColumns, namedSelection, selectionKey, sourceRelation } from './validation-relations.js';

describe('validation relations', () => {
  it('names a source as a selection of its table, or as its query: never as SQL', () => {
    expect(sourceRelation({ connection: 'pg', table: 'public.t' })).toEqual({ table: 'public.t' });
    expect(sourceRelation({ connection: 'pg', query: 'SELECT 1 AS a' })).toEqual({ query: 'SELECT 1 AS a' });
    expect(
      sourceRelation({ connection: 'my', table: 'shop.t', columns: ['Name', 'id'], where: '`id` > 2' }),
    ).toEqual({ table: 'shop.t', columns: ['Name', 'id'], where: '`id` > 2' });
  });

  it('keeps the selected columns in the selection order, spelled as the catalog spells them', () => {
    const all = [{ name: 'id' }, { name: 'Amount Due' }, { name: 'note' }];
    const selection = { table: 'orders', columns: ['note', 'amount due', 'ID'], where: 'id > 1' };
    const kept = keptColumns(all, selection);
    expect(kept.map((c) => c.name)).toEqual(['note', 'Amount Due', 'id']);
    expect(namedSelection(selection, '"shop"."orders"', kept)).toEqual({
      table: '"shop"."orders"',
      columns: ['note', 'Amount Due', 'id'],
      where: 'id > 1',
    });
    expect(namedSelection({ table: 'orders' }, '"shop"."orders"', all)).toEqual({ table: '"shop"."orders"' });
    expect(keptColumns(all, { table: 'orders' })).toBe(all);
    expect(() => keptColumns(all, { table: 'orders', columns: ['nope'] })).toThrow(
      /orders has no column nope/,
    );
  });

  it("takes the table's primary key as the selection's key only when every key column is selected", () => {
    expect(selectionKey(['id', 'b'], { table: 't' })).toEqual(['id', 'b']);
    expect(selectionKey(['id', 'b'], { table: 't', columns: ['B', 'x', 'id'] })).toEqual(['id', 'b']);
    expect(selectionKey(['id', 'b'], { table: 't', columns: ['id', 'x'] })).toBeUndefined();
    expect(selectionKey([], { table: 't' })).toBeUndefined();
  });
});
