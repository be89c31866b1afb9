import { createLogger } from '@dxa/logger';
import {
  describeSourceContract,
  SOURCE_FIXTURE_ROWS,
  SOURCE_FIXTURE_TABLE,
} from '../../contract/source.contract.js';
import { createPostgresSource } from './source.js';
import { activeBackends, createTestDatabase } from './test-support.js';

const logger = createLogger('postgres-source-contract');

describeSourceContract('postgresql', async () => {
  const db = await createTestDatabase();
  await db.sql.query(`
    CREATE TABLE ${SOURCE_FIXTURE_TABLE} (
      id int4 PRIMARY KEY, txt text, amount numeric(12,2), at timestamp, day date, raw bytea, "odd,col" text
    );
    CREATE TABLE contract_log (msg text);
    CREATE FUNCTION contract_write() RETURNS int LANGUAGE sql AS $$ INSERT INTO contract_log VALUES ('x'); SELECT 1 $$;`);
  for (const row of SOURCE_FIXTURE_ROWS)
    await db.sql.query(`INSERT INTO ${SOURCE_FIXTURE_TABLE} VALUES ($1, $2, $3, $4, $5, $6, $7)`, row);
  return {
    source: createPostgresSource(db.conn, logger),
    open: () => createPostgresSource(db.conn, logger),
    // The local server trusts loopback connections, so any password passes.
    misconfigured: (problem) => {
      const password = `sekret-pw-${problem}`;
      return Promise.resolve(
        problem === 'database'
          ? {
              source: createPostgresSource({ ...db.conn, database: `${db.name}_missing`, password }, logger),
              names: `${db.name}_missing`,
              password,
            }
          : {
              source: createPostgresSource({ ...db.conn, port: 1, password }, logger),
              names: '127.0.0.1:1',
              password,
            },
      );
    },
    // generate_series in the select list streams; in FROM it would be materialized first.
    endlessQuery: 'SELECT generate_series(1, 1000000000) AS g',
    writingQuery: {
      query: 'SELECT contract_write() AS n',
      written: async () =>
        (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM contract_log')).rows[0]?.n ?? -1,
    },
    running: async () => (await activeBackends(db)).length,
    cleanup: () => db.drop(),
  };
});
