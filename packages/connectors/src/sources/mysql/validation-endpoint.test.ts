import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@dxa/logger';
import { describeValidationEndpointContract } from '../../contract/validation-endpoint.contract.js';
import type { SourceConnector } from '../../core/types.js';
import { createMysqlSource } from './source.js';
import { activeThreads, createTestDatabase, grantPasswordUser, type TestDatabase } from './test-support.js';

const logger = createLogger('mysql-validation-endpoint-test');
const signal = () => new AbortController().signal;
const PASSWORD = 'sekret-pw-endpoint';

describeValidationEndpointContract('mysql source', async () => {
  const db = await createTestDatabase();
  await db.sql.query(`
    CREATE TABLE ${db.name}.vt (b bigint NOT NULL, id int NOT NULL, amount decimal(12,2), note varchar(5),
                                raw varbinary(4), PRIMARY KEY (id, b));
    CREATE TABLE ${db.name}.vt_nokey (x int);
    INSERT INTO ${db.name}.vt VALUES (1, 10, 1.50, 'a', x'00ff'), (2, 20, NULL, '', NULL)`);
  // A user with a password, so the label and errors have one to leave out.
  const username = await grantPasswordUser(db, PASSWORD);
  const source = createMysqlSource({ ...db.conn, username, password: PASSWORD }, logger);
  return {
    dialect: 'mysql',
    qualifiedTable: `"${db.name}"."vt"`,
    endpoint: () => source.validationEndpoint!(),
    owner: source,
    queries: true,
    readOnly: true,
    primaryKeys: true,
    slow: {
      sql: 'SELECT SLEEP(60) AS s',
      running: async () => (await activeThreads(db)).some((t) => t.info.includes('SLEEP')),
    },
    secrets: [PASSWORD],
    async cleanup() {
      await source.close();
      await db.drop();
    },
  };
});

describe('MySQL validation endpoint', () => {
  let db: TestDatabase;
  let source: SourceConnector;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.query(`
      CREATE TABLE ${db.name}.t (b bigint, id int NOT NULL, amount decimal(12,2), at timestamp NULL, note varchar(5),
                                 raw varbinary(4), PRIMARY KEY (id, b));
      SET time_zone = '+02:00';
      INSERT INTO ${db.name}.t VALUES (1, 10, 1.5, '2024-01-01 00:00:00', 'a', x'00ff')`);
    source = createMysqlSource(db.conn, logger);
  });

  afterAll(async () => {
    await source?.close();
    await db?.drop();
  });

  it('labels itself by user, host and database, and spells engine types as information_schema does', async () => {
    const endpoint = source.validationEndpoint!();
    expect(endpoint.label).toBe(`mysql root@127.0.0.1:3306/${db.name}`);
    const columns = await endpoint.describe({ table: 't' }, signal());
    expect(columns.map((c) => [c.name, c.engineType, c.type])).toEqual([
      ['b', 'bigint(20)', 'int64'],
      ['id', 'int(11)', 'int32'],
      ['amount', 'decimal(12,2)', 'decimal'],
      ['at', 'timestamp', 'timestamptz'],
      ['note', 'varchar(5)', 'text'],
      ['raw', 'varbinary(4)', 'binary'],
    ]);
    await endpoint.close();
  });

  it('names a table given in another case as the catalog spells it, and keeps a MySQL filter as written', async () => {
    const endpoint = source.validationEndpoint!();
    const selection = { table: 'T', columns: ['Note', 'B', 'ID'], where: '`amount` > 1 -- big ones' };
    const resolved = await endpoint.resolve(selection, signal());
    expect(resolved).toEqual({ ...selection, table: `"${db.name}"."t"`, columns: ['note', 'b', 'id'] });
    expect((await endpoint.describe(resolved, signal())).map((c) => c.name)).toEqual(['note', 'b', 'id']);
    const counted = await endpoint.query(
      `SELECT COUNT(*) AS n FROM ${endpoint.dialect.from(resolved)}`,
      signal(),
    );
    expect(counted.map((row) => Number(row.n))).toEqual([1]);
    await endpoint.close();
  });

  it('runs queries in UTC', async () => {
    const endpoint = source.validationEndpoint!();
    const rows = await endpoint.query(
      'SELECT CAST(at AS CHAR) AS at, LOWER(HEX(raw)) AS raw FROM t',
      signal(),
    );
    expect(rows).toEqual([{ at: '2023-12-31 22:00:00', raw: '00ff' }]);
    await endpoint.close();
  });
});
