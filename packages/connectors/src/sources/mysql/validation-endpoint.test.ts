import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@dxa/logger';
import type { ValidationEndpoint } from '@dxa/validation';
import type { SourceConnector } from '../../core/types.js';
import { createMysqlSource } from './source.js';
import { activeThreads, createTestDatabase, eventually, type TestDatabase } from './test-support.js';

const logger = createLogger('mysql-validation-endpoint-test');
const signal = () => new AbortController().signal;

describe('MySQL validation endpoint', () => {
  let db: TestDatabase;
  let source: SourceConnector;
  let endpoint: ValidationEndpoint;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.query(`
      CREATE TABLE ${db.name}.t (b bigint, id int NOT NULL, amount decimal(12,2), at timestamp NULL, note varchar(5),
                                 raw varbinary(4), PRIMARY KEY (id, b));
      CREATE TABLE ${db.name}.nokey (x int);
      SET time_zone = '+02:00';
      INSERT INTO ${db.name}.t VALUES (1, 10, 1.5, '2024-01-01 00:00:00', 'a', x'00ff')`);
    source = createMysqlSource({ ...db.conn, password: '' }, logger);
    endpoint = source.validationEndpoint!();
  });

  afterAll(async () => {
    await endpoint?.close();
    await source?.close();
    await db?.drop();
  });

  it('describes a table with engine and logical types under a label without a password', async () => {
    expect(endpoint.dialect.name).toBe('mysql');
    expect(endpoint.label).toBe(`mysql root@127.0.0.1:3306/${db.name}`);
    expect(await endpoint.describe({ table: 't' }, signal())).toEqual([
      { name: 'b', engineType: 'bigint(20)', type: 'int64', nullable: false },
      { name: 'id', engineType: 'int(11)', type: 'int32', nullable: false },
      {
        name: 'amount',
        engineType: 'decimal(12,2)',
        type: 'decimal',
        nullable: true,
        precision: 12,
        scale: 2,
      },
      { name: 'at', engineType: 'timestamp', type: 'timestamptz', nullable: true },
      { name: 'note', engineType: 'varchar(5)', type: 'text', nullable: true },
      { name: 'raw', engineType: 'varbinary(4)', type: 'binary', nullable: true },
    ]);
  });

  it('describes a query and finds primary keys in key order', async () => {
    const columns = await endpoint.describe({ query: 'SELECT id, note AS n FROM t' }, signal());
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'int32'],
      ['n', 'text'],
    ]);
    expect(await endpoint.primaryKey!({ table: 't' }, signal())).toEqual(['id', 'b']);
    expect(await endpoint.primaryKey!({ table: 'nokey' }, signal())).toBeUndefined();
    expect(await endpoint.primaryKey!({ query: 'SELECT 1' }, signal())).toBeUndefined();
  });

  it('names a selection as the catalog spells it and keeps the primary key only when all of it is selected', async () => {
    const selection = { table: 'T', columns: ['Note', 'B', 'ID'], where: '`amount` > 1 -- big ones' };
    const resolved = await endpoint.resolve(selection, signal());
    expect(resolved).toEqual({ ...selection, table: `"${db.name}"."t"`, columns: ['note', 'b', 'id'] });
    expect((await endpoint.describe(resolved, signal())).map((c) => c.name)).toEqual(['note', 'b', 'id']);
    expect(await endpoint.primaryKey!(resolved, signal())).toEqual(['id', 'b']);
    expect(await endpoint.primaryKey!({ ...resolved, columns: ['id', 'note'] }, signal())).toBeUndefined();
    expect(await endpoint.resolve({ query: 'SELECT 1' }, signal())).toEqual({ query: 'SELECT 1' });
  });

  it('runs queries read-only in UTC', async () => {
    const rows = await endpoint.query(
      'SELECT CAST(at AS CHAR) AS at, LOWER(HEX(raw)) AS raw FROM t',
      signal(),
    );
    expect(rows).toEqual([{ at: '2023-12-31 22:00:00', raw: '00ff' }]);
    await expect(endpoint.query('DELETE FROM t', signal())).rejects.toMatchObject({ code: 'BAD_SQL' });
    const [left] = await db.sql.query(`SELECT count(*) AS n FROM ${db.name}.t`);
    expect(left).toEqual([{ n: '1' }]);
  });

  it('kills the running statement on abort', async () => {
    const controller = new AbortController();
    const running = endpoint.query('SELECT SLEEP(30) AS s', controller.signal);
    const sleeping = async () => (await activeThreads(db)).some((t) => t.info.includes('SLEEP'));
    expect(await eventually(sleeping)).toBe(true);
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await eventually(async () => !(await sleeping()))).toBe(true);
  });

  it('says which table is missing', async () => {
    await expect(endpoint.describe({ table: 'nope' }, signal())).rejects.toThrow(/nope does not exist/);
  });
});
