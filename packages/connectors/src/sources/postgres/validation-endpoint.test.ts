import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@dxa/logger';
import type { ValidationEndpoint } from '@dxa/validation';
import { createPostgresDestination } from '../../destinations/postgres/index.js';
import type { DestinationConnector, SourceConnector } from '../../core/types.js';
import { createPostgresSource } from './source.js';
import { activeBackends, createTestDatabase, eventually, type TestDatabase } from './test-support.js';

const logger = createLogger('pg-validation-endpoint-test');
const signal = () => new AbortController().signal;

describe('PostgreSQL validation endpoint (source and target share it)', () => {
  let db: TestDatabase;
  let source: SourceConnector;
  let target: DestinationConnector;
  let endpoints: ValidationEndpoint[];

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.query(`
      CREATE DOMAIN money_amount AS numeric(12,2);
      CREATE TABLE public.t (b bigint, id int NOT NULL, amount money_amount, at timestamptz, note varchar(5),
                             raw bytea, PRIMARY KEY (id, b));
      CREATE TABLE public.nokey (x int);
      INSERT INTO public.t VALUES (1, 10, 1.5, '2024-01-01 00:00:00+02', 'a', '\\x00ff')`);
    source = createPostgresSource(db.conn, logger);
    target = createPostgresDestination(db.conn, logger);
    endpoints = [source.validationEndpoint!(), target.validationEndpoint!()];
  });

  afterAll(async () => {
    await Promise.all(endpoints.map((e) => e.close()));
    await source?.close();
    await target?.close();
    await db?.drop();
  });

  it('describes a table with engine and logical types, and never shows a password in its label', async () => {
    for (const endpoint of endpoints) {
      expect(endpoint.dialect.name).toBe('postgresql');
      expect(endpoint.label).toBe(`postgresql postgres@127.0.0.1:5432/${db.name}`);
      const columns = await endpoint.describe({ table: 'public.t' }, signal());
      expect(columns).toEqual([
        { name: 'b', engineType: 'bigint', type: 'int64', nullable: false },
        { name: 'id', engineType: 'integer', type: 'int32', nullable: false },
        {
          name: 'amount',
          engineType: 'money_amount',
          type: 'decimal',
          nullable: true,
          precision: 12,
          scale: 2,
        },
        { name: 'at', engineType: 'timestamp with time zone', type: 'timestamptz', nullable: true },
        { name: 'note', engineType: 'character varying(5)', type: 'text', nullable: true },
        { name: 'raw', engineType: 'bytea', type: 'binary', nullable: true },
      ]);
    }
  });

  it('describes a query and finds primary keys in key order', async () => {
    const [endpoint] = endpoints;
    const columns = await endpoint!.describe({ query: 'SELECT id, note AS n FROM public.t' }, signal());
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'int32'],
      ['n', 'text'],
    ]);
    expect(await endpoint!.primaryKey!({ table: 't' }, signal())).toEqual(['id', 'b']);
    expect(await endpoint!.primaryKey!({ table: 'public.nokey' }, signal())).toBeUndefined();
    expect(await endpoint!.primaryKey!({ query: 'SELECT 1' }, signal())).toBeUndefined();
  });

  it('runs queries read-only in UTC with hex bytea', async () => {
    const [, endpoint] = endpoints;
    const rows = await endpoint!.query(
      `SELECT at::text AS at, raw::text AS raw, current_setting('transaction_read_only') AS ro FROM public.t`,
      signal(),
    );
    expect(rows).toEqual([{ at: '2023-12-31 22:00:00+00', raw: '\\x00ff', ro: 'on' }]);
    await expect(endpoint!.query('DELETE FROM public.t', signal())).rejects.toThrow(/read-only transaction/);
    const { rows: left } = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM public.t');
    expect(left[0]?.n).toBe(1);
  });

  it('cancels the running statement on abort', async () => {
    const [endpoint] = endpoints;
    const controller = new AbortController();
    const running = endpoint!.query('SELECT pg_sleep(30)', controller.signal);
    const sleeping = async () => (await activeBackends(db)).some((b) => b.query.includes('pg_sleep'));
    expect(await eventually(sleeping)).toBe(true);
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await eventually(async () => !(await sleeping()))).toBe(true);
  });

  it('says which table is missing', async () => {
    await expect(endpoints[1]!.describe({ table: 'public.nope' }, signal())).rejects.toThrow(
      /public\.nope does not exist/,
    );
  });
});
