import { createLogger } from '@dxa/logger';
import {
  describeSourceContract,
  SOURCE_FIXTURE_ROWS,
  SOURCE_FIXTURE_TABLE,
} from '../../contract/source.contract.js';
import { createMysqlSource } from './source.js';
import { activeThreads, createTestDatabase, grantPasswordUser } from './test-support.js';

const logger = createLogger('mysql-source-contract');
const USER_PASSWORD = 'sekret-pw-contract-user';

describeSourceContract('mysql', async () => {
  const db = await createTestDatabase();
  const table = `${db.name}.${SOURCE_FIXTURE_TABLE}`;
  await db.sql.query(`
    CREATE TABLE ${table} (
      id int NOT NULL PRIMARY KEY, txt text, amount decimal(12,2), at datetime(6), day date, raw varbinary(16),
      \`odd,col\` text
    ) CHARACTER SET utf8mb4;
    CREATE TABLE ${db.name}.contract_log (msg text);`);
  for (const row of SOURCE_FIXTURE_ROWS)
    await db.sql.query(`INSERT INTO ${table} VALUES (?, ?, ?, ?, ?, ?, ?)`, row);
  return {
    source: createMysqlSource(db.conn, logger),
    open: () => createMysqlSource(db.conn, logger),
    misconfigured: async (problem) => {
      if (problem === 'port') {
        const password = 'sekret-pw-port';
        const source = createMysqlSource({ ...db.conn, port: 1, password }, logger);
        return { source, names: '127.0.0.1:1', password };
      }
      // A user whose password is right, allowed into the database that does not exist.
      const missing = `${db.name}_missing`;
      const username = await grantPasswordUser(db, USER_PASSWORD, [missing]);
      const source = createMysqlSource(
        { ...db.conn, database: missing, username, password: USER_PASSWORD },
        logger,
      );
      return { source, names: missing, password: USER_PASSWORD };
    },
    // A cross join of two sequence tables streams at once; counting it takes hours.
    endlessQuery: 'SELECT a.seq AS a, b.seq AS b FROM seq_1_to_1000000 a, seq_1_to_1000000 b',
    writingQuery: {
      query: "INSERT INTO contract_log VALUES ('written')",
      written: async () => {
        const [rows] = await db.sql.query(`SELECT count(*) AS n FROM ${db.name}.contract_log`);
        return Number((rows as { n: string }[])[0]?.n ?? -1);
      },
    },
    running: async () => (await activeThreads(db)).length,
    cleanup: () => db.drop(),
  };
});
