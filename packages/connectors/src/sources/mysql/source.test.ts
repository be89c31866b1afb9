import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRef } from '@dxa/contracts';
import { CancelledError, TerminalError, TransientError } from '@dxa/errors';
import { createLogger } from '@dxa/logger';
import type { SourceConnector } from '../../core/types.js';
import { ALL_TYPES } from './fixture.js';
import { createMysqlSource } from './source.js';
import {
  activeThreads,
  createTestDatabase,
  eventually,
  parseCsv,
  readAll,
  type TestDatabase,
} from './test-support.js';

const logger = createLogger('mysql-source-test');
const ctx = () => ({ signal: new AbortController().signal });
const ref = (extra: Partial<SourceRef>): SourceRef => ({ connection: 'my', ...extra });

let db: TestDatabase;
let source: SourceConnector;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql.query(
    `USE ${db.name}; ${ALL_TYPES}
     CREATE TABLE \`Odd Name\` (\`Col A\` int, \`col,b\` text);
     INSERT INTO \`Odd Name\` VALUES (1, 'x'), (2, 'y');
     CREATE TABLE log (msg text);
     USE mysql;`,
  );
  source = createMysqlSource(db.conn, logger);
});
afterAll(async () => {
  await source?.close();
  await db?.drop();
});

describe('describe', () => {
  it('maps every column type from information_schema', async () => {
    const { columns, estimatedRows } = await source.describe(ref({ table: 'all_types' }), ctx());
    expect(estimatedRows).toBeTypeOf('number');
    expect(columns.map((c) => [c.name, c.type, c.sourceType, c.nullable, c.precision, c.scale])).toEqual([
      ['id', 'int32', 'int(11)', false, undefined, undefined],
      ['ti', 'int16', 'tinyint(4)', true, undefined, undefined],
      ['tb', 'int16', 'tinyint(1)', true, undefined, undefined],
      ['tu', 'int16', 'tinyint(3) unsigned', true, undefined, undefined],
      ['si', 'int16', 'smallint(6)', true, undefined, undefined],
      ['su', 'int32', 'smallint(5) unsigned', true, undefined, undefined],
      ['mi', 'int32', 'mediumint(9)', true, undefined, undefined],
      ['i', 'int32', 'int(11)', true, undefined, undefined],
      ['iu', 'int64', 'int(10) unsigned', true, undefined, undefined],
      ['bi', 'int64', 'bigint(20)', true, undefined, undefined],
      ['bu', 'decimal', 'bigint(20) unsigned', true, 20, 0],
      ['f', 'float32', 'float', true, undefined, undefined],
      ['d', 'float64', 'double', true, undefined, undefined],
      ['n', 'decimal', 'decimal(12,2)', true, 12, 2],
      ['nbig', 'decimal', 'decimal(65,30)', true, 65, 30],
      ['c', 'text', 'char(5)', true, undefined, undefined],
      ['vc', 'text', 'varchar(40)', true, undefined, undefined],
      ['t', 'text', 'text', true, undefined, undefined],
      ['e', 'text', "enum('sad','ok','happy')", true, undefined, undefined],
      ['st', 'text', "set('a','b')", true, undefined, undefined],
      ['bin', 'binary', 'binary(4)', true, undefined, undefined],
      ['vb', 'binary', 'varbinary(10)', true, undefined, undefined],
      ['bl', 'binary', 'blob', true, undefined, undefined],
      ['dt', 'date', 'date', true, undefined, undefined],
      ['dtm', 'timestamp', 'datetime(6)', true, undefined, undefined],
      ['ts', 'timestamptz', 'timestamp(6)', true, undefined, undefined],
      ['tm', 'text', 'time(6)', true, undefined, undefined],
      ['y', 'int16', 'year(4)', true, undefined, undefined],
      ['j', 'json', 'longtext', true, undefined, undefined],
      ['bt', 'binary', 'bit(10)', true, undefined, undefined],
    ]);
  });

  it('honours database.table, a column subset in the requested order and folds case when unambiguous', async () => {
    const { columns } = await source.describe(
      ref({ table: `${db.name}.ALL_TYPES`, columns: ['N', 'id'] }),
      ctx(),
    );
    expect(columns.map((c) => c.name)).toEqual(['n', 'id']);
  });

  it('names a missing table or column in a terminal SOURCE_NOT_FOUND error', async () => {
    for (const [r, name] of [
      [ref({ table: 'nope' }), 'nope'],
      [ref({ table: 'nowhere.all_types' }), 'nowhere.all_types'],
      [ref({ table: 'all_types', columns: ['id', 'ghost'] }), 'ghost'],
    ] as const) {
      const error = await source.describe(r, ctx()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TerminalError);
      expect(error).toMatchObject({
        code: 'SOURCE_NOT_FOUND',
        message: expect.stringContaining(name) as unknown,
      });
    }
  });

  it('describes a query from its result metadata, all columns nullable', async () => {
    const { columns, estimatedRows } = await source.describe(
      ref({ query: 'SELECT id, n AS amount, bu, ts, dt, vb, t FROM all_types -- trailing comment' }),
      ctx(),
    );
    expect(columns.map((c) => [c.name, c.type, c.nullable, c.precision, c.scale])).toEqual([
      ['id', 'int32', true, undefined, undefined],
      ['amount', 'decimal', true, 12, 2],
      ['bu', 'decimal', true, 20, 0],
      ['ts', 'timestamptz', true, undefined, undefined],
      ['dt', 'date', true, undefined, undefined],
      ['vb', 'binary', true, undefined, undefined],
      ['t', 'text', true, undefined, undefined],
    ]);
    expect(estimatedRows).toBeUndefined();
  });

  it('rejects a query with duplicate column names as BAD_SQL', async () => {
    await expect(source.describe(ref({ query: 'SELECT 1 AS a, 2 AS a' }), ctx())).rejects.toMatchObject({
      code: 'BAD_SQL',
    });
  });
});

describe('selections', () => {
  it('extracts a column subset with a where filter, and counts the same rows', async () => {
    const r = ref({ table: 'all_types', columns: ['vc', 'id'], where: "id IN (1, 3) OR vc = 'NULL'" });
    const { columns } = await source.describe(r, ctx());
    const rows = parseCsv(await readAll(await source.extractCsv(r, columns, ctx())));
    expect(rows).toEqual([
      ['vc', 'id'],
      ['a "quoted", comma\nnewline', '1'],
      ['', '3'],
      ['NULL', '4'],
    ]);
    expect(await source.count(r, ctx())).toBe(3);
    expect(await source.count(ref({ table: 'all_types' }), ctx())).toBe(4);
  });

  it('extracts a query source in its own order, with its column names as the header', async () => {
    const r = ref({ query: 'SELECT id AS `the id`, e FROM all_types WHERE id <> 2 ORDER BY id DESC;' });
    const csv = await readAll(await source.extractCsv(r, [], ctx()));
    expect(csv).toBe('the id,e\n4,ok\n3,sad\n1,happy\n');
    expect(await source.count(r, ctx())).toBe(3);
  });

  it('quotes odd table and column names', async () => {
    const r = ref({ table: '"Odd Name"' });
    const { columns } = await source.describe(r, ctx());
    expect(await readAll(await source.extractCsv(r, columns, ctx()))).toBe('Col A,"col,b"\n1,x\n2,y\n');
  });

  it('reports SQL errors in where as terminal BAD_SQL, and a missing column as SOURCE_NOT_FOUND', async () => {
    await expect(source.count(ref({ table: 'all_types', where: 'id >' }), ctx())).rejects.toMatchObject({
      name: 'TerminalError',
      code: 'BAD_SQL',
    });
    await expect(source.count(ref({ table: 'all_types', where: 'ghost = 1' }), ctx())).rejects.toMatchObject({
      name: 'TerminalError',
      code: 'SOURCE_NOT_FOUND',
    });
  });

  it('fails an extract with a bad where with a terminal error on the stream, leaving no thread', async () => {
    const r = ref({ table: 'all_types', where: 'id >' });
    const error = await source
      .extractCsv(r, [], ctx())
      .then(readAll)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect(error).toMatchObject({
      code: 'BAD_SQL',
      message: expect.stringContaining('extract all_types') as unknown,
    });
    expect(await eventually(async () => (await activeThreads(db)).length === 0)).toBe(true);
  });

  it('refuses slices: the source reads a selection in one piece', async () => {
    const slice = { bounds: { kind: 'pages' as const, from: 0, to: 10 } };
    await expect(source.extractCsv(ref({ table: 'all_types' }), [], ctx(), slice)).rejects.toMatchObject({
      code: 'INVALID_JOB',
    });
  });

  it('reads in a read-only transaction: a query cannot write', async () => {
    const error = await source
      .extractCsv(ref({ query: "INSERT INTO log VALUES ('written')" }), [], ctx())
      .then(readAll)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect(error).toMatchObject({ code: 'BAD_SQL' });
    const [rows] = await db.sql.query(`SELECT count(*) AS n FROM ${db.name}.log`);
    expect(rows).toEqual([{ n: '0' }]);
  });
});

describe('connections', () => {
  it('checks the connection', async () => {
    await expect(source.check(ctx())).resolves.toBeUndefined();
  });

  it('reports an unknown database as a configuration error', async () => {
    const broken = createMysqlSource({ ...db.conn, database: `${db.name}_missing` }, logger);
    try {
      await expect(broken.check(ctx())).rejects.toMatchObject({
        name: 'TerminalError',
        code: 'CONFIG_ERROR',
      });
    } finally {
      await broken.close();
    }
  });

  it('reports a wrong password as terminal PERMISSION_DENIED without the password', async () => {
    const broken = createMysqlSource({ ...db.conn, password: 'sekret-pw-123' }, logger);
    try {
      const error = await broken.check(ctx()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TerminalError);
      expect(error).toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringContaining('Access denied') as unknown,
      });
      expect(JSON.stringify({ message: (error as Error).message, error })).not.toContain('sekret-pw-123');
    } finally {
      await broken.close();
    }
  });

  it('reports a refused connection as transient CONNECTION_FAILED without the password', async () => {
    const broken = createMysqlSource({ ...db.conn, port: 1, password: 'sekret-pw-123' }, logger);
    try {
      const error = await broken.check(ctx()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect(error).toMatchObject({ code: 'CONNECTION_FAILED' });
      expect(JSON.stringify({ message: (error as Error).message, error })).not.toContain('sekret-pw-123');
    } finally {
      await broken.close();
    }
  });

  it('cancels a running count on abort, leaving no thread running', async () => {
    const controller = new AbortController();
    const counting = source.count(ref({ query: 'SELECT SLEEP(60) AS s' }), { signal: controller.signal });
    expect(await eventually(async () => (await activeThreads(db)).length === 1)).toBe(true);
    controller.abort();
    await expect(counting).rejects.toBeInstanceOf(CancelledError);
    expect(await eventually(async () => (await activeThreads(db)).length === 0)).toBe(true);
  });
});
