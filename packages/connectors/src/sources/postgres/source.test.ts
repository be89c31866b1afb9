import { describe, expect, it } from 'vitest';
import { CancelledError, TerminalError, TransientError } from '@dxa/errors';
import { createPostgresSource } from './source.js';
import { createLogger } from '@dxa/logger';
import { ctx, ref, useSourceFixture } from './source-fixture.js';
import { activeBackends, eventually } from './test-support.js';

const fx = useSourceFixture();
const logger = createLogger('postgres-source-test');

describe('describe', () => {
  it('maps every column type from the catalog, skipping dropped columns', async () => {
    const description = await fx.source.describe(ref({ table: 'public.all_types' }), ctx());
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
    const description = await fx.source.describe(ref({ table: 'ALL_TYPES', columns: ['n', 'ID'] }), ctx());
    expect(description.columns.map((c) => c.name)).toEqual(['n', 'id']);
  });

  it('names a missing table or column in a terminal SOURCE_NOT_FOUND error', async () => {
    const missingTable = await fx.source
      .describe(ref({ table: 'public.nope' }), ctx())
      .catch((e: unknown) => e);
    expect(missingTable).toBeInstanceOf(TerminalError);
    expect(missingTable).toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      message: expect.stringContaining('public.nope') as unknown,
    });
    const missingSchema = await fx.source
      .describe(ref({ table: 'nowhere.t' }), ctx())
      .catch((e: unknown) => e);
    expect(missingSchema).toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    const missingColumn = await fx.source
      .describe(ref({ table: 'public.all_types', columns: ['id', 'ghost'] }), ctx())
      .catch((e: unknown) => e);
    expect(missingColumn).toBeInstanceOf(TerminalError);
    expect(missingColumn).toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      message: expect.stringContaining('ghost') as unknown,
    });
  });

  it('describes a query from its result metadata, all columns nullable', async () => {
    const description = await fx.source.describe(
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
    await expect(fx.source.describe(ref({ query: 'SELECT 1 AS a, 2 AS a' }), ctx())).rejects.toMatchObject({
      code: 'BAD_SQL',
    });
  });
});

describe('cancellation outside COPY', () => {
  it('cancels a running count on abort', async () => {
    const controller = new AbortController();
    const counting = fx.source.count(ref({ query: 'SELECT pg_sleep(60) AS s' }), {
      signal: controller.signal,
    });
    expect(await eventually(async () => (await activeBackends(fx.db)).length === 1)).toBe(true);
    controller.abort();
    await expect(counting).rejects.toBeInstanceOf(CancelledError);
    expect(await eventually(async () => (await activeBackends(fx.db)).length === 0)).toBe(true);
  });

  it('close() ends streams nobody reads and leaves no backend', async () => {
    const other = createPostgresSource(fx.db.conn, logger);
    const stream = await other.extractCsv(
      ref({ query: 'SELECT generate_series(1, 200000000) AS g' }),
      [],
      ctx(),
    );
    const failed = new Promise<unknown>((resolve) => stream.once('error', resolve));
    await other.close();
    expect(await failed).toBeInstanceOf(CancelledError);
    expect(await eventually(async () => (await activeBackends(fx.db)).length === 0)).toBe(true);
  });
});

describe('connections', () => {
  it('checks the connection', async () => {
    await expect(fx.source.check(ctx())).resolves.toBeUndefined();
  });

  it('reports an unknown database as a configuration error', async () => {
    const broken = createPostgresSource({ ...fx.db.conn, database: `${fx.db.name}_missing` }, logger);
    try {
      await expect(broken.check(ctx())).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
    } finally {
      await broken.close();
    }
  });

  it('reports a refused connection as transient without the password', async () => {
    const broken = createPostgresSource({ ...fx.db.conn, port: 1, password: 'sekret-pw' }, logger);
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
