import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRef } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import { createLogger } from '@dxa/logger';
import type { SourceConnector } from '../../core/types.js';
import { ALL_TYPES } from './fixture.js';
import { createMysqlSource } from './source.js';
import { createTestDatabase, readAll, type TestDatabase } from './test-support.js';

// Connections, selections, read-only sessions, slices and cancellation: contract.test.ts.
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

  it('honours database.table', async () => {
    const { columns } = await source.describe(ref({ table: `${db.name}.all_types` }), ctx());
    expect(columns.map((c) => c.name).slice(0, 2)).toEqual(['id', 'ti']);
  });

  it('names a missing database in a terminal SOURCE_NOT_FOUND error', async () => {
    const error = await source.describe(ref({ table: 'nowhere.all_types' }), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect(error).toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      message: expect.stringContaining('nowhere.all_types') as unknown,
    });
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
});

describe('selections', () => {
  it('quotes odd table and column names', async () => {
    const r = ref({ table: '"Odd Name"' });
    const { columns } = await source.describe(r, ctx());
    expect(await readAll(await source.extractCsv(r, columns, ctx()))).toBe('Col A,"col,b"\n1,x\n2,y\n');
  });

  it('reports an unknown column in where as SOURCE_NOT_FOUND', async () => {
    await expect(source.count(ref({ table: 'all_types', where: 'ghost = 1' }), ctx())).rejects.toMatchObject({
      name: 'TerminalError',
      code: 'SOURCE_NOT_FOUND',
    });
  });
});

describe('connections', () => {
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
});
