import { describe, expect, it } from 'vitest';
import { CancelledError, TerminalError } from '@dxa/errors';
import { ctx, ref, useSourceFixture } from './source-fixture.js';
import { activeBackends, eventually, parseCsv, readAll } from './test-support.js';

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

  it('rejects a missing table before streaming', async () => {
    await expect(fx.source.extractCsv(ref({ table: 'public.gone' }), [], ctx())).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      step: 'extract',
    });
  });

  it('extracts a query source', async () => {
    const r = ref({ query: 'SELECT id, t, bin FROM all_types WHERE id IN (1, 3) ORDER BY id;' });
    const { columns } = await fx.source.describe(r, ctx());
    expect(parseCsv(await readAll(await fx.source.extractCsv(r, columns, ctx())))).toEqual([
      ['id', 't', 'bin'],
      ['1', 'a "quoted", comma\nnewline', '\\x00ff'],
      ['3', '', '\\x'],
    ]);
    expect(await fx.source.count(r, ctx())).toBe(2);
  });

  it('runs in a read-only transaction: a query that writes is refused by the server', async () => {
    const r = ref({ query: 'SELECT public.write_log() AS n' });
    const stream = await fx.source.extractCsv(r, [], ctx());
    const error = await readAll(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect(error).toMatchObject({
      code: 'BAD_SQL',
      step: 'extract',
      message: expect.stringMatching(/read-only transaction.*25006/) as unknown,
    });
    await expect(fx.source.count(r, ctx())).rejects.toMatchObject({ code: 'BAD_SQL' });
    expect((await fx.db.sql.query('SELECT count(*)::int AS n FROM public.log')).rows[0]).toEqual({ n: 0 });
  });

  it('stops a large COPY promptly on abort and leaves no backend running', async () => {
    const controller = new AbortController();
    // generate_series in the select list streams; in FROM it would be materialized first.
    const r = ref({ query: "SELECT generate_series(1, 200000000) AS g, repeat('x', 200) AS pad" });
    const stream = await fx.source.extractCsv(r, [], { signal: controller.signal });
    let bytes = 0;
    const error = await (async () => {
      for await (const chunk of stream) {
        bytes += (chunk as Buffer).length;
        if (bytes > 4 << 20) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(bytes).toBeGreaterThan(4 << 20);
    expect((error as Error).name).toBe('AbortError');
    expect(await eventually(async () => (await activeBackends(fx.db)).length === 0)).toBe(true);
    // The pool still works afterwards.
    expect(await fx.source.count(ref({ table: 'public.all_types' }), ctx())).toBe(4);
  });

  it('cancels the COPY on the server when the consumer destroys the stream', async () => {
    const r = ref({ query: 'SELECT generate_series(1, 200000000) AS g' });
    const stream = await fx.source.extractCsv(r, [], ctx());
    await new Promise((resolve) => stream.once('data', resolve));
    expect((await activeBackends(fx.db)).length).toBe(1);
    stream.destroy();
    expect(await eventually(async () => (await activeBackends(fx.db)).length === 0)).toBe(true);
  });

  it('fails with a CancelledError when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      fx.source.extractCsv(ref({ table: 'public.all_types' }), [], { signal: controller.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});
