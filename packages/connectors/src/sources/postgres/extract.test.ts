import { describe, expect, it } from 'vitest';
import { ctx, ref, useSourceFixture } from './source-fixture.js';
import { parseCsv, readAll } from './test-support.js';

// Missing tables, query sources, read-only sessions and cancellation: contract.test.ts.
const fx = useSourceFixture();

describe('extractCsv', () => {
  it('writes the interchange dialect for every mapped type', async () => {
    const r = ref({ table: 'public.all_types' });
    const { columns } = await fx.source.describe(r, ctx());
    const rows = parseCsv(await readAll(await fx.source.extractCsv(r, columns, ctx())));
    expect(rows[0]).toEqual(columns.map((c) => c.name));
    const byId = new Map(
      rows.slice(1).map((row) => [row[0], Object.fromEntries(columns.map((c, i) => [c.name, row[i]]))]),
    );
    expect(byId.size).toBe(4);
    expect(byId.get('1')).toEqual({
      id: '1',
      b: 't',
      i2: '-32768',
      i4: '2147483647',
      f4: '1.1',
      f8: '0.1',
      n: '1234567890.12',
      nu: '3.14159265358979323846264338327950288419716939937510',
      nneg: '12300',
      t: 'a "quoted", comma\nnewline',
      vc: 'ünïcödé ✓ 😀',
      bp: 'ab   ',
      nm: 'name',
      ci: 'CaSe',
      bin: '\\x00ff',
      d: '2024-02-29',
      tm: '12:34:56.789',
      ttz: '12:00:00+05:30',
      ts: '2020-01-01 12:34:56.123456',
      tstz: '2020-06-01 06:30:00+00',
      iv: '1 year 2 mons 3 days 04:05:06.789',
      u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      j: '{"a": [1, 2.50]}',
      jb: '{"a": [1, 2.50], "b": 1}',
      arr: '{1,NULL,3}',
      e: 'happy',
      dom: '12.345',
    });
    const nulls = byId.get('2')!;
    expect(
      Object.entries(nulls)
        .filter(([, v]) => v !== null)
        .map(([k]) => k),
    ).toEqual(['id', 'i4']);
    expect(byId.get('3')).toMatchObject({
      f4: 'NaN',
      f8: '-Infinity',
      nu: 'NaN',
      t: '',
      vc: '',
      bp: '     ',
      nm: '',
      ci: '',
      bin: '\\x',
      d: '4713-01-01 BC',
      tm: '24:00:00',
      ttz: '00:00:00-03',
      ts: 'infinity',
      tstz: '-infinity',
      iv: '-1 days +02:00:00',
      j: '""',
      arr: '{}',
    });
    expect(byId.get('4')).toMatchObject({
      f4: '-0',
      f8: '1e+300',
      nu: '-0.00000000000000000001',
      t: '  \\. NULL \r\n  ',
      vc: 'NULL',
      bp: ' x   ',
      nm: '\\',
      ts: '0044-03-15 09:00:00.5 BC',
      tstz: '0044-03-15 09:00:00+00 BC',
      iv: '-178000000 years',
      ttz: '23:59:59.999999+14',
    });
  });

  it('extracts a column subset with a WHERE filter from a table whose names need quoting', async () => {
    const r = ref({ table: '"Odd Schema"."Weird ""Name"""', where: '"Col A" > 1' });
    const { columns } = await fx.source.describe(r, ctx());
    const csv = await readAll(await fx.source.extractCsv(r, columns, ctx()));
    expect(parseCsv(csv)).toEqual([
      ['Col A', 'col,b'],
      ['2', 'y'],
    ]);
    expect(await fx.source.count(r, ctx())).toBe(1);
    expect(await fx.source.count(ref({ table: 'public.all_types', where: 'b' }), ctx())).toBe(2);
  });
});
