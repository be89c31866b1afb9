import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@dxa/logger';
import { describeValidationEndpointContract } from '../../contract/validation-endpoint.contract.js';
import { createPostgresDestination } from '../../destinations/postgres/index.js';
import type { DestinationConnector, SourceConnector } from '../../core/types.js';
import { createPostgresSource } from './source.js';
import { activeBackends, createTestDatabase, type TestDatabase } from './test-support.js';

const logger = createLogger('pg-validation-endpoint-test');
const signal = () => new AbortController().signal;
// The local server trusts loopback connections: the password only has to stay out of labels and errors.
const PASSWORD = 'sekret-pw-endpoint';

/** The contract's tables, and the source or target (sharing one endpoint implementation) over them. */
async function harness(open: (db: TestDatabase) => SourceConnector | DestinationConnector) {
  const db = await createTestDatabase();
  await db.sql.query(`
    CREATE TABLE vt (b bigint NOT NULL, id int NOT NULL, amount numeric(12,2), note varchar(5), raw bytea,
                     PRIMARY KEY (id, b));
    CREATE TABLE vt_nokey (x int);
    INSERT INTO vt VALUES (1, 10, 1.50, 'a', '\\x00ff'), (2, 20, NULL, '', NULL)`);
  const owner = open(db);
  return {
    dialect: 'postgresql',
    qualifiedTable: '"public"."vt"',
    endpoint: () => owner.validationEndpoint!(),
    owner,
    queries: true,
    readOnly: true,
    primaryKeys: true,
    slow: {
      sql: 'SELECT pg_sleep(60)',
      running: async () => (await activeBackends(db)).some((b) => b.query.includes('pg_sleep')),
    },
    secrets: [PASSWORD],
    async cleanup() {
      await owner.close();
      await db.drop();
    },
  };
}

describeValidationEndpointContract('postgresql source', () =>
  harness((db) => createPostgresSource({ ...db.conn, password: PASSWORD }, logger)),
);
describeValidationEndpointContract('postgresql target', () =>
  harness((db) => createPostgresDestination({ ...db.conn, password: PASSWORD }, logger)),
);

describe('PostgreSQL validation endpoint', () => {
  let db: TestDatabase;
  let source: SourceConnector;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.query(`
      CREATE DOMAIN money_amount AS numeric(12,2);
      CREATE TABLE public.t (id int, amount money_amount, at timestamptz, note varchar(5), raw bytea);
      INSERT INTO public.t VALUES (10, 1.5, '2024-01-01 00:00:00+02', 'a', '\\x00ff')`);
    source = createPostgresSource(db.conn, logger);
  });

  afterAll(async () => {
    await source?.close();
    await db?.drop();
  });

  it('labels itself by user, host and database, and spells engine types as the catalog does', async () => {
    const endpoint = source.validationEndpoint!();
    expect(endpoint.label).toBe(`postgresql postgres@127.0.0.1:5432/${db.name}`);
    const columns = await endpoint.describe({ table: 'public.t' }, signal());
    expect(columns.map((c) => [c.name, c.engineType, c.type, c.precision, c.scale])).toEqual([
      ['id', 'integer', 'int32', undefined, undefined],
      ['amount', 'money_amount', 'decimal', 12, 2],
      ['at', 'timestamp with time zone', 'timestamptz', undefined, undefined],
      ['note', 'character varying(5)', 'text', undefined, undefined],
      ['raw', 'bytea', 'binary', undefined, undefined],
    ]);
    await endpoint.close();
  });

  it('runs queries read-only in UTC with hex bytea', async () => {
    const endpoint = source.validationEndpoint!();
    const rows = await endpoint.query(
      `SELECT at::text AS at, raw::text AS raw, current_setting('transaction_read_only') AS ro FROM public.t`,
      signal(),
    );
    expect(rows).toEqual([{ at: '2023-12-31 22:00:00+00', raw: '\\x00ff', ro: 'on' }]);
    await endpoint.close();
  });
});
