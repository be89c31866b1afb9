import { describe, expect, it } from 'vitest';
import type { DialectName } from '../types.js';
import { whereClause } from './dialect.js';
import { dialectFor } from './index.js';

// One selection, with a name and a column holding each engine's quote character, rendered by
// every dialect. Extraction and validation both render selections with these functions.
const SELECTION = {
  table: 'shop."Odd ""name"" `x` [y]"',
  columns: ['id', 'Amount Due', 'a"b', 'c`d', 'e]f'],
  where: "status <> 'sent' -- trailing comment",
};

const RENDERED: Record<DialectName, { table: string; columns: string }> = {
  postgresql: {
    table: '"shop"."Odd ""name"" `x` [y]"',
    columns: '"id", "Amount Due", "a""b", "c`d", "e]f"',
  },
  duckdb: {
    table: '"shop"."Odd ""name"" `x` [y]"',
    columns: '"id", "Amount Due", "a""b", "c`d", "e]f"',
  },
  snowflake: {
    table: '"shop"."Odd ""name"" `x` [y]"',
    columns: '"id", "Amount Due", "a""b", "c`d", "e]f"',
  },
  mysql: {
    table: '`shop`.`Odd "name" ``x`` [y]`',
    columns: '`id`, `Amount Due`, `a"b`, `c``d`, `e]f`',
  },
  sqlserver: {
    table: '[shop].[Odd "name" `x` [y]]]',
    columns: '[id], [Amount Due], [a"b], [c`d], [e]]f]',
  },
};

const WHERE = "\nstatus <> 'sent' -- trailing comment\n";

describe('selections rendered by each dialect', () => {
  for (const [name, expected] of Object.entries(RENDERED) as [
    DialectName,
    (typeof RENDERED)[DialectName],
  ][]) {
    describe(name, () => {
      const d = dialectFor(name);

      it('quotes every part of the table name and every column with its own quoting', () => {
        expect(d.table(SELECTION.table)).toBe(expected.table);
        expect(d.select(SELECTION)).toBe(
          `SELECT ${expected.columns} FROM ${expected.table} WHERE (${WHERE})`,
        );
      });

      it('reads a whole table by its name, and a narrowed one or a query as a subquery', () => {
        expect(d.from({ table: SELECTION.table })).toBe(expected.table);
        expect(d.from(SELECTION)).toBe(`(${d.select(SELECTION)}) AS dxa_q`);
        expect(d.from({ table: 'shop.t', where: 'x = 1' })).toBe(
          `(SELECT * FROM ${d.table('shop.t')} WHERE (\nx = 1\n)) AS dxa_q`,
        );
        expect(d.from({ query: 'SELECT 1 AS a -- one;\n;; ' })).toBe('(\nSELECT 1 AS a -- one\n) AS dxa_q');
      });

      it('reads a column through an expression under its own name, and adds conditions after the filter', () => {
        const sql = d.select(
          { table: 'shop.t', columns: ['f', 'g'], where: 'a = 1 OR b = 2' },
          {
            read: (quoted, column) => (column === 'f' ? `CAST(${quoted} AS DOUBLE)` : quoted),
            and: [undefined, 'k < 5'],
          },
        );
        expect(sql).toBe(
          `SELECT CAST(${d.ident('f')} AS DOUBLE) AS ${d.ident('f')}, ${d.ident('g')} FROM ${d.table('shop.t')}` +
            ' WHERE (\na = 1 OR b = 2\n) AND (\nk < 5\n)',
        );
      });
    });
  }

  it('renders no WHERE without conditions', () => {
    expect(whereClause([])).toBe('');
    expect(whereClause([undefined])).toBe('');
    expect(dialectFor('mysql').select({ table: 't' })).toBe('SELECT * FROM `t`');
  });
});
