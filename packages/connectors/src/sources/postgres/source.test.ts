import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRef } from '@dxa/contracts';
import { CancelledError, TerminalError, TransientError } from '@dxa/errors';
import { createLogger } from '@dxa/logger';
import type { SourceConnector } from '../../core/types.js';
import { createPostgresSource } from './source.js';
import {
  activeBackends,
  createTestDatabase,
  eventually,
  parseCsv,
  readAll,
  type TestDatabase,
} from './test-support.js';

const logger = createLogger('postgres-source-test');
const ctx = () => ({ signal: new AbortController().signal });

let db: TestDatabase;
let source: SourceConnector;
const ref = (extra: Partial<SourceRef>): SourceRef => ({ connection: 'pg', ...extra });

const SCHEMA = `
  CREATE EXTENSION citext;
  CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE DOMAIN amount AS numeric(10,3);
  CREATE TABLE public.all_types (
    id int8 PRIMARY KEY,
    b bool, i2 int2, i4 int4 NOT NULL DEFAULT 0,
    gone int,
    f4 float4, f8 float8, n numeric(12,2), nu numeric, nneg numeric(5,-2),
    t text, vc varchar(20), bp char(5), nm name, ci citext, bin bytea,
    d date, tm time, ttz timetz, ts timestamp, tstz timestamptz, iv interval,
    u uuid, j json, jb jsonb, arr int4[], e mood, dom amount
  );
  ALTER TABLE public.all_types DROP COLUMN gone;
  INSERT INTO public.all_types VALUES
    (1, true, -32768, 2147483647, 1.1, 0.1, 1234567890.12, 3.14159265358979323846264338327950288419716939937510, 12345,
     E'a "quoted", comma\\nnewline', 'ünïcödé ✓ 😀', 'ab', 'name', 'CaSe', '\\x00ff',
     '2024-02-29', '12:34:56.789', '12:00:00+05:30', '2020-01-01 12:34:56.123456', '2020-06-01 12:00:00+05:30',
     '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.50]}', '{"b": 1, "a": [1, 2.50]}',
     '{1,NULL,3}', 'happy', 12.345),
    (2, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, false, 0, 0, 'NaN', '-Infinity', 0, 'NaN', 0, '', '', '', '', '', '',
     '4713-01-01 BC', '24:00:00', '00:00:00-03', 'infinity', '-infinity', '-1 days +02:00:00', NULL, '""', '[]', '{}', 'sad', 0),
    (4, true, 1, 1, '-0', 1e300, -0.01, '-1e-20', -100, E'  \\\\. NULL \\r\\n  ', 'NULL', ' x', '\\', '', '\\x',
     '0001-01-01', '00:00:00', '23:59:59.999999+14', '0044-03-15 09:00:00.5 BC', '0044-03-15 09:00:00+00 BC', '-178000000 years',
     '00000000-0000-0000-0000-000000000000', '{"u": "\\u00e9"}', '{"u": "\\u00e9"}', '{{1,2},{3,4}}', 'ok', -0.001);
  ANALYZE public.all_types;
  CREATE SCHEMA "Odd Schema";
  CREATE TABLE "Odd Schema"."Weird ""Name""" ("Col A" int, "col,b" text);
  INSERT INTO "Odd Schema"."Weird ""Name""" VALUES (1, 'x'), (2, 'y');
  CREATE TABLE public.log (msg text);
  CREATE FUNCTION public.write_log() RETURNS int LANGUAGE sql AS $$ INSERT INTO public.log VALUES ('written'); SELECT 1 $$;
`;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql.query(SCHEMA);
  source = createPostgresSource(db.conn, logger);
});

afterAll(async () => {
  await source?.close();
  await db?.drop();
});

describe('describe', () => {
  it('maps every column type from the catalog, skipping dropped columns', async () => {
    const description = await source.describe(ref({ table: 'public.all_types' }), ctx());
    expect(description.estimatedRows).toBe(4);
    const summary = description.columns.map((c) => [
      c.name,
      c.type,
      c.sourceType,
      c.nullable,
      c.precision,
      c.scale,
    ]);
    expect(summary).toEqual([
      ['id', 'int64', 'bigint', false, undefined, undefined],
      ['b', 'boolean', 'boolean', true, undefined, undefined],
      ['i2', 'int16', 'smallint', true, undefined, undefined],
      ['i4', 'int32', 'integer', false, undefined, undefined],
      ['f4', 'float32', 'real', true, undefined, undefined],
      ['f8', 'float64', 'double precision', true, undefined, undefined],
      ['n', 'decimal', 'numeric(12,2)', true, 12, 2],
      ['nu', 'decimal', 'numeric', true, undefined, undefined],
      ['nneg', 'decimal', 'numeric(5,-2)', true, 7, 0],
      ['t', 'text', 'text', true, undefined, undefined],
      ['vc', 'text', 'character varying(20)', true, undefined, undefined],
      ['bp', 'text', 'character(5)', true, undefined, undefined],
      ['nm', 'text', 'name', true, undefined, undefined],
      ['ci', 'text', 'citext', true, undefined, undefined],
      ['bin', 'binary', 'bytea', true, undefined, undefined],
      ['d', 'date', 'date', true, undefined, undefined],
      ['tm', 'time', 'time without time zone', true, undefined, undefined],
      ['ttz', 'text', 'time with time zone', true, undefined, undefined],
      ['ts', 'timestamp', 'timestamp without time zone', true, undefined, undefined],
      ['tstz', 'timestamptz', 'timestamp with time zone', true, undefined, undefined],
      ['iv', 'interval', 'interval', true, undefined, undefined],
      ['u', 'uuid', 'uuid', true, undefined, undefined],
      ['j', 'json', 'json', true, undefined, undefined],
      ['jb', 'json', 'jsonb', true, undefined, undefined],
      ['arr', 'text', 'integer[]', true, undefined, undefined],
      ['e', 'text', 'mood', true, undefined, undefined],
      ['dom', 'decimal', 'amount', true, 10, 3],
    ]);
  });

  it('honours a column subset in the requested order, folding unquoted case', async () => {
    const description = await source.describe(ref({ table: 'ALL_TYPES', columns: ['n', 'ID'] }), ctx());
    expect(description.columns.map((c) => c.name)).toEqual(['n', 'id']);
  });

  it('names a missing table or column in a terminal SOURCE_NOT_FOUND error', async () => {
    const missingTable = await source.describe(ref({ table: 'public.nope' }), ctx()).catch((e: unknown) => e);
    expect(missingTable).toBeInstanceOf(TerminalError);
    expect(missingTable).toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      message: expect.stringContaining('public.nope') as unknown,
    });
    const missingSchema = await source.describe(ref({ table: 'nowhere.t' }), ctx()).catch((e: unknown) => e);
    expect(missingSchema).toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    const missingColumn = await source
      .describe(ref({ table: 'public.all_types', columns: ['id', 'ghost'] }), ctx())
      .catch((e: unknown) => e);
    expect(missingColumn).toBeInstanceOf(TerminalError);
    expect(missingColumn).toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      message: expect.stringContaining('ghost') as unknown,
    });
  });

  it('describes a query from its result metadata, all columns nullable', async () => {
    const description = await source.describe(
      ref({
        query:
          'SELECT id, n AS amount, dom, tstz::date AS day, now() AS at FROM all_types -- trailing comment',
      }),
      ctx(),
    );
    expect(description.columns.map((c) => [c.name, c.type, c.nullable, c.precision, c.scale])).toEqual([
      ['id', 'int64', true, undefined, undefined],
      ['amount', 'decimal', true, 12, 2],
      ['dom', 'decimal', true, 10, 3],
      ['day', 'date', true, undefined, undefined],
      ['at', 'timestamptz', true, undefined, undefined],
    ]);
    expect(description.estimatedRows).toBeUndefined();
  });

  it('rejects a query with duplicate column names', async () => {
    await expect(source.describe(ref({ query: 'SELECT 1 AS a, 2 AS a' }), ctx())).rejects.toMatchObject({
      code: 'BAD_SQL',
    });
  });
});

describe('extractCsv', () => {
  it('writes the interchange dialect for every mapped type', async () => {
    const r = ref({ table: 'public.all_types' });
    const { columns } = await source.describe(r, ctx());
    const rows = parseCsv(await readAll(await source.extractCsv(r, columns, ctx())));
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
    const { columns } = await source.describe(r, ctx());
    const csv = await readAll(await source.extractCsv(r, columns, ctx()));
    expect(parseCsv(csv)).toEqual([
      ['Col A', 'col,b'],
      ['2', 'y'],
    ]);
    expect(await source.count(r, ctx())).toBe(1);
    expect(await source.count(ref({ table: 'public.all_types', where: 'b' }), ctx())).toBe(2);
  });

  it('rejects a missing table before streaming', async () => {
    await expect(source.extractCsv(ref({ table: 'public.gone' }), [], ctx())).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      step: 'extract',
    });
  });

  it('extracts a query source', async () => {
    const r = ref({ query: 'SELECT id, t, bin FROM all_types WHERE id IN (1, 3) ORDER BY id;' });
    const { columns } = await source.describe(r, ctx());
    expect(parseCsv(await readAll(await source.extractCsv(r, columns, ctx())))).toEqual([
      ['id', 't', 'bin'],
      ['1', 'a "quoted", comma\nnewline', '\\x00ff'],
      ['3', '', '\\x'],
    ]);
    expect(await source.count(r, ctx())).toBe(2);
  });

  it('runs in a read-only transaction: a query that writes is refused by the server', async () => {
    const r = ref({ query: 'SELECT public.write_log() AS n' });
    const stream = await source.extractCsv(r, [], ctx());
    const error = await readAll(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect(error).toMatchObject({
      code: 'BAD_SQL',
      step: 'extract',
      message: expect.stringMatching(/read-only transaction.*25006/) as unknown,
    });
    await expect(source.count(r, ctx())).rejects.toMatchObject({ code: 'BAD_SQL' });
    expect((await db.sql.query('SELECT count(*)::int AS n FROM public.log')).rows[0]).toEqual({ n: 0 });
  });

  it('stops a large COPY promptly on abort and leaves no backend running', async () => {
    const controller = new AbortController();
    // generate_series in the select list streams; in FROM it would be materialized first.
    const r = ref({ query: "SELECT generate_series(1, 200000000) AS g, repeat('x', 200) AS pad" });
    const stream = await source.extractCsv(r, [], { signal: controller.signal });
    let bytes = 0;
    const error = await (async () => {
      for await (const chunk of stream) {
        bytes += (chunk as Buffer).length;
        if (bytes > 4 << 20) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(bytes).toBeGreaterThan(4 << 20);
    expect((error as Error).name).toBe('AbortError');
    expect(await eventually(async () => (await activeBackends(db)).length === 0)).toBe(true);
    // The pool still works afterwards.
    expect(await source.count(ref({ table: 'public.all_types' }), ctx())).toBe(4);
  });

  it('cancels the COPY on the server when the consumer destroys the stream', async () => {
    const r = ref({ query: 'SELECT generate_series(1, 200000000) AS g' });
    const stream = await source.extractCsv(r, [], ctx());
    await new Promise((resolve) => stream.once('data', resolve));
    expect((await activeBackends(db)).length).toBe(1);
    stream.destroy();
    expect(await eventually(async () => (await activeBackends(db)).length === 0)).toBe(true);
  });

  it('fails with a CancelledError when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      source.extractCsv(ref({ table: 'public.all_types' }), [], { signal: controller.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('cancellation outside COPY', () => {
  it('cancels a running count on abort', async () => {
    const controller = new AbortController();
    const counting = source.count(ref({ query: 'SELECT pg_sleep(60) AS s' }), { signal: controller.signal });
    expect(await eventually(async () => (await activeBackends(db)).length === 1)).toBe(true);
    controller.abort();
    await expect(counting).rejects.toBeInstanceOf(CancelledError);
    expect(await eventually(async () => (await activeBackends(db)).length === 0)).toBe(true);
  });

  it('close() ends streams nobody reads and leaves no backend', async () => {
    const other = createPostgresSource(db.conn, logger);
    const stream = await other.extractCsv(
      ref({ query: 'SELECT generate_series(1, 200000000) AS g' }),
      [],
      ctx(),
    );
    const failed = new Promise<unknown>((resolve) => stream.once('error', resolve));
    await other.close();
    expect(await failed).toBeInstanceOf(CancelledError);
    expect(await eventually(async () => (await activeBackends(db)).length === 0)).toBe(true);
  });
});

describe('connections', () => {
  it('checks the connection', async () => {
    await expect(source.check(ctx())).resolves.toBeUndefined();
  });

  it('reports an unknown database as a configuration error', async () => {
    const broken = createPostgresSource({ ...db.conn, database: `${db.name}_missing` }, logger);
    try {
      await expect(broken.check(ctx())).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
    } finally {
      await broken.close();
    }
  });

  it('reports a refused connection as transient without the password', async () => {
    const broken = createPostgresSource({ ...db.conn, port: 1, password: 'sekret-pw' }, logger);
    try {
      const error = await broken.check(ctx()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect(error).toMatchObject({ code: 'CONNECTION_FAILED' });
      expect(JSON.stringify({ message: (error as Error).message, error })).not.toContain('sekret-pw');
    } finally {
      await broken.close();
    }
  });
});
