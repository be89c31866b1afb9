// Value fidelity: MariaDB → interchange CSV (exact text) → Parquet and gzip CSV parts → DuckDB.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RowDataPacket } from 'mysql2/promise';
import { TerminalError } from '@dxa/errors';
import { writeParquetParts } from '@dxa/files';
import { createLogger } from '@dxa/logger';
import type { SourceConnector } from '../../core/types.js';
import { duckdbProbeRows, extractToParts } from '../fidelity-support.js';
import { ALL_TYPES } from './fixture.js';
import { createMysqlSource } from './source.js';
import { createTestDatabase, readAll, type TestDatabase } from './test-support.js';

const logger = createLogger('mysql-fidelity-test');
const ctx = () => ({ signal: new AbortController().signal });
const ref = { connection: 'my', table: 'all_types' };

// 20 000 generated rows on top of the four hand-written ones, so parts split.
const GENERATED = `
  INSERT INTO all_types
  SELECT seq + 10, seq % 128, seq % 2, seq % 256, seq % 32767, seq, seq * 7, seq * 7919, seq * 3, seq * 1000003, seq * 99991,
         seq / 7, seq / 3.0e3, seq * 1.37, seq / 7, left(md5(seq), 3),
         concat(left(md5(seq), seq % 25), IF(seq % 5 = 0, concat('\\n"q", ', seq), '')), repeat(md5(seq), seq % 4),
         elt(seq % 3 + 1, 'sad', 'ok', 'happy'), IF(seq % 2 = 0, 'a', 'a,b'), unhex(left(md5(seq), 8)), unhex(left(md5(seq), 2 * (seq % 6))),
         unhex(repeat(md5(seq), seq % 3)), DATE '2000-01-01' + INTERVAL seq DAY,
         TIMESTAMP '2000-01-01 00:00:00' + INTERVAL seq HOUR + INTERVAL seq MICROSECOND,
         TIMESTAMP '2000-01-01 00:00:00' + INTERVAL seq * 37 MINUTE, SEC_TO_TIME(CAST(seq AS SIGNED) * 61 - 400000), 1901 + seq % 255,
         json_object('g', seq, 's', 'x"y,z'), seq % 1024
    FROM seq_1_to_20000;
`;

/** Per column: a MariaDB and a DuckDB expression giving the same text for the same value. */
type Probe = { name: string; my: string; duck: string; compare?: 'float4' | 'float8' };
const text = (name: string): Probe => ({
  name,
  my: `CAST(${name} AS CHAR)`,
  duck: `CAST(${name} AS VARCHAR)`,
});
const hex = (name: string): Probe => ({ name, my: `lower(hex(${name}))`, duck: `lower(hex(${name}))` });
const epochUs = (name: string): Probe => ({
  name,
  my: `CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${name}) AS CHAR)`,
  duck: `CAST(epoch_us(${name}) AS VARCHAR)`,
});
const PROBES: Probe[] = [
  ...['id', 'ti', 'tb', 'tu', 'si', 'su', 'mi', 'i', 'iu', 'bi', 'bu'].map(text),
  { name: 'f', my: 'CAST(CAST(f AS DOUBLE) AS CHAR)', duck: 'CAST(f AS VARCHAR)', compare: 'float4' },
  { ...text('d'), compare: 'float8' },
  ...['n', 'nbig', 'c', 'vc', 't', 'e', 'st'].map(text),
  ...['bin', 'vb', 'bl'].map(hex),
  // bit(10) is two bytes; HEX() of a BIT prints the number, so pad it to the bytes.
  { name: 'bt', my: 'lower(lpad(hex(bt), 4, 0))', duck: 'lower(hex(bt))' },
  text('dt'),
  epochUs('dtm'),
  epochUs('ts'),
  text('tm'),
  { name: 'y', my: 'CAST(y + 0 AS CHAR)', duck: 'CAST(y AS VARCHAR)' },
  text('j'),
];

let db: TestDatabase;
let source: SourceConnector;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql.query(`USE ${db.name}; ${ALL_TYPES} ${GENERATED} USE mysql;`);
  source = createMysqlSource(db.conn, logger);
});
afterAll(async () => {
  await source?.close();
  await db?.drop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dxa-mysql-fidelity-'));
  return () => rm(dir, { recursive: true, force: true });
});

async function expectedRows(): Promise<(string | null)[][]> {
  await db.sql.query("SET time_zone = '+00:00'");
  const [rows] = await db.sql.query<RowDataPacket[]>(
    `SELECT ${PROBES.map((p) => `${p.my} AS \`${p.name}\``).join(', ')} FROM ${db.name}.all_types ORDER BY id`,
  );
  return rows.map((r) => PROBES.map((p) => (r[p.name] as string | null) ?? null));
}

/** Compares row by row; floats by value (the two sides print them differently), the rest as text. */
function expectSameValues(actual: (string | null)[][], expected: (string | null)[][]): void {
  expect(actual).toHaveLength(expected.length);
  const mismatches: string[] = [];
  for (const [r, row] of expected.entries()) {
    for (const [c, probe] of PROBES.entries()) {
      const want = row[c] ?? null;
      const got = actual[r]?.[c] ?? null;
      const same =
        want === null || got === null || probe.compare === undefined
          ? got === want
          : probe.compare === 'float4'
            ? Object.is(Math.fround(Number(got)), Math.fround(Number(want)))
            : Object.is(Number(got), Number(want));
      if (!same && mismatches.length < 20)
        mismatches.push(`id ${String(row[0])} ${probe.name}: expected ${String(want)} got ${String(got)}`);
    }
  }
  expect(mismatches).toEqual([]);
}

// The exact interchange text of the four hand-written rows (docs/interchange.md).
const EXPECTED_CSV = [
  'id,ti,tb,tu,si,su,mi,i,iu,bi,bu,f,d,n,nbig,c,vc,t,e,st,bin,vb,bl,dt,dtm,ts,tm,y,j,bt',
  '1,-128,1,255,-32768,65535,-8388608,-2147483648,4294967295,-9223372036854775808,18446744073709551615,' +
    '1.100000023841858,0.1,1234567890.12,12345678901234567890123456789012345.123456789012345678901234567891,' +
    'ab,"a ""quoted"", comma\nnewline",ünïcödé ✓ 😀,happy,"a,b",\\x00ff0001,\\x,\\x00,2024-02-29,' +
    '2020-01-01 12:34:56.123456,2020-06-01 06:30:00.500000+00,-838:59:59.000000,2024,"{""a"": [1, 2.50]}",\\x000a',
  '2,,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
  '3,127,0,0,32767,0,8388607,2147483647,0,9223372036854775807,0,16777216,1.7976931348623157e308,-0.01,' +
    '-0.000000000000000000000000000001,"","","\\.",sad,"",\\x00000000,\\x2c22,\\x,1000-01-01,' +
    '9999-12-31 23:59:59.999999,1970-01-01 00:00:01.000000+00,838:59:59.999999,1901,[],\\x0000',
  '4,0,2,1,0,1,0,0,1,0,1,-3.5,5e-324,0.00,0.000000000000000000000000000000,x,NULL,"\r\n",ok,b,\\x41000000,' +
    '\\x0a0d,\\x,0044-03-15,0001-01-01 00:00:00.000000,2038-01-19 03:14:07.999999+00,00:00:00.000000,0000,' +
    '"{""u"": ""é""}",\\x03ff',
].join('\n');

describe('MariaDB → interchange CSV → DuckDB fidelity', () => {
  it('writes the exact interchange text for every type, NULLs and edge values', async () => {
    const r = { ...ref, where: 'id < 10' };
    const { columns } = await source.describe(r, ctx());
    const csv = await readAll(await source.extractCsv(r, columns, ctx()));
    expect(csv).toBe(`${EXPECTED_CSV}\n`);
  });

  it('keeps every value through Parquet parts', async () => {
    const { files, readBack } = await extractToParts(source, ref, dir, 'parquet');
    expect(files.length).toBeGreaterThan(1);
    expect(files.reduce((n, f) => n + f.rows, 0)).toBe(20_004);
    expectSameValues(await duckdbProbeRows(PROBES, readBack), await expectedRows());
  });

  it('keeps every value through gzip CSV parts read with duckdbReadCsvSql', async () => {
    const { files, readBack } = await extractToParts(source, ref, dir, 'csv');
    expect(files.length).toBeGreaterThan(1);
    expectSameValues(await duckdbProbeRows(PROBES, readBack), await expectedRows());
  });

  it('fails with a terminal error naming the column on a zero date, leaving no files', async () => {
    await db.sql.query(
      `SET SESSION sql_mode = ''; CREATE TABLE ${db.name}.zero (id int, born date, seen datetime);
       INSERT INTO ${db.name}.zero VALUES (1, '2020-01-01', '2020-01-01 00:00:00'), (2, '0000-00-00', NULL)`,
    );
    const r = { connection: 'my', table: 'zero' };
    const { columns } = await source.describe(r, ctx());
    const error = await writeParquetParts({
      input: await source.extractCsv(r, columns, ctx()),
      columns,
      dir,
      fileSizeBytes: 1 << 20,
      signal: ctx().signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as Error).message).toMatch(/column born holds the zero date 0000-00-00/);
    expect(await readdir(dir)).toEqual([]);
  });
});
