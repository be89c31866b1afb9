import { describe, expect, it } from 'vitest';
import { TerminalError } from '@dxa/errors';
import { ctx, ref, useSourceFixture } from './source-fixture.js';

// Connections, selections, cancellation and close: contract.test.ts (the SourceConnector contract).
const fx = useSourceFixture();

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

  it('names a missing schema in a terminal SOURCE_NOT_FOUND error', async () => {
    const missingSchema = await fx.source
      .describe(ref({ table: 'nowhere.t' }), ctx())
      .catch((e: unknown) => e);
    expect(missingSchema).toBeInstanceOf(TerminalError);
    expect(missingSchema).toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      message: expect.stringContaining('nowhere.t') as unknown,
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
});
