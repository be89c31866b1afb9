// The value encoder (core/sql-kit/value-rows.ts) against PostgreSQL itself: the same values,
// stored in PostgreSQL through an independent path and extracted with this source's COPY, must
// come out of the encoder byte for byte the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRef } from '@dxa/contracts';
import { createLogger } from '@dxa/logger';
import type { SourceConnector } from '../../core/types.js';
import { float32Text, float64Text } from '../../core/sql-kit/value-numbers.js';
import { encodeRows } from '../../core/sql-kit/value-rows.js';
import { DAY_US, Random, type Sample, type Truth } from '../../core/sql-kit/value-samples.js';
import { SAMPLE_COLUMNS, sampleRows } from '../../core/sql-kit/value-samples-time.js';
import { createPostgresSource } from './source.js';
import { createTestDatabase, readAll, type TestDatabase } from './test-support.js';

const logger = createLogger('postgres-value-encoder-test');
const ctx = () => ({ signal: new AbortController().signal });

let db: TestDatabase;
let source: SourceConnector;
beforeAll(async () => {
  db = await createTestDatabase();
  // Day and microsecond arithmetic on timestamptz below must not meet a daylight-saving change.
  await db.sql.query("SET TimeZone = 'UTC'");
  source = createPostgresSource(db.conn, logger);
});
afterAll(async () => {
  await source?.close();
  await db?.drop();
});

/** A float as PostgreSQL reads it back exactly (String drops the sign of -0). */
const floatText = (x: number) => (Object.is(x, -0) ? '-0' : String(x));

/** SQL for one value, with its parameters: PostgreSQL parses text, or computes from numbers. */
function pgValue(type: string, pgType: string, truth: Truth, params: unknown[]): string {
  const param = (value: unknown) => `$${params.push(value)}`;
  if (typeof truth === 'string' && (type === 'date' || type === 'timestamp' || type === 'timestamptz'))
    return `${param(truth)}::${pgType}`;
  switch (type) {
    case 'float32':
    case 'float64':
      return `${param(floatText(truth as number))}::${pgType}`;
    case 'date':
      return `DATE '1970-01-01' + ${param(truth)}::int`;
    case 'time':
      return truth === DAY_US
        ? `TIME '24:00:00'`
        : `TIME '00:00:00' + ${param(truth)}::bigint * INTERVAL '1 microsecond'`;
    case 'timestamp':
    case 'timestamptz': {
      // Whole days, then the microseconds of the day: each exact in the float8 that interval * takes.
      const us = truth as bigint;
      const days = us / BigInt(DAY_US) - (us % BigInt(DAY_US) < 0n ? 1n : 0n);
      const epoch = type === 'timestamp' ? `TIMESTAMP '1970-01-01'` : `TIMESTAMPTZ '1970-01-01 00:00:00+00'`;
      return `${epoch} + ${param(String(days))}::int * INTERVAL '1 day' + ${param(String(us - days * BigInt(DAY_US)))}::bigint * INTERVAL '1 microsecond'`;
    }
    case 'interval': {
      const { months, days, micros } = truth as { months: number; days: number; micros: bigint };
      return `${param(months)}::int * INTERVAL '1 mon' + ${param(days)}::int * INTERVAL '1 day' + ${param(String(micros))}::bigint * INTERVAL '1 microsecond'`;
    }
    default:
      return `${param(typeof truth === 'bigint' ? String(truth) : truth)}::${pgType}`;
  }
}

async function insert(table: string, rows: Sample[][], first: number): Promise<void> {
  for (let start = 0; start < rows.length; start += 100) {
    const params: unknown[] = [];
    const values = rows.slice(start, start + 100).map((row, i) => {
      const fields = row.map((sample, c) => {
        const column = SAMPLE_COLUMNS[c]!;
        return sample === null ? 'NULL' : pgValue(column.type, column.pg, sample.truth, params);
      });
      return `(${first + start + i}, ${fields.join(', ')})`;
    });
    await db.sql.query(`INSERT INTO ${table} VALUES ${values.join(', ')}`, params);
  }
}

/** The first line where two CSV texts differ, for a readable failure. */
function firstDifference(ours: string, theirs: string): string | undefined {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  return line < 0 && a.length === b.length
    ? undefined
    : `line ${line + 1}:\n  ours ${a[line]}\n  COPY ${b[line]}`;
}

async function compare(ref: SourceRef, jsRows: unknown[][]): Promise<void> {
  const { columns } = await source.describe(ref, ctx());
  const copied = await readAll(await source.extractCsv(ref, columns, ctx()));
  const encoded = await readAll(encodeRows(columns, jsRows));
  expect(firstDifference(encoded, copied)).toBeUndefined();
  expect(Buffer.from(encoded).equals(Buffer.from(copied))).toBe(true);
}

describe('the value encoder writes what COPY writes', () => {
  it('for seeded rows of every logical type with edge values', async () => {
    const definition = SAMPLE_COLUMNS.map((c) => `${c.name} ${c.pg}`).join(', ');
    await db.sql.query(`CREATE TABLE samples (id int4 PRIMARY KEY, ${definition})`);
    const rows = sampleRows(7, 3000);
    // Beyond what JavaScript's Date and DuckDB hold, but not PostgreSQL.
    const far = SAMPLE_COLUMNS.map((c): Sample => {
      if (c.type === 'timestamp')
        return { js: '294276-12-31 23:59:59.999999', truth: '294276-12-31 23:59:59.999999' };
      if (c.type === 'timestamptz')
        return { js: '294276-12-31 23:59:59.999999Z', truth: '294276-12-31 23:59:59.999999+00' };
      return null;
    });
    rows.push(far);
    await insert('samples', rows, 0);
    // In id order: a multi-row INSERT may leave rows on the heap in another.
    await compare(
      { connection: 'pg', query: 'SELECT * FROM samples ORDER BY id' },
      rows.map((row, id) => [id, ...row.map((s) => (s === null ? null : s.js))]),
    );
  });

  it('for headers that need quoting and `\\.` in a one-column table', async () => {
    await db.sql.query(`CREATE TABLE names ("a,b" int4, "say ""hi""" text, "\\." text)`);
    await db.sql.query(`INSERT INTO names VALUES (1, '\\.', '\\.'), (2, '', NULL)`);
    await compare({ connection: 'pg', table: 'names' }, [
      [1, '\\.', '\\.'],
      [2, '', null],
    ]);
    await db.sql.query(`CREATE TABLE one ("\\." text)`);
    await db.sql.query(`INSERT INTO one VALUES ('\\.'), (''), (NULL), ('x'), ('\\.x')`);
    await compare({ connection: 'pg', table: 'one' }, [['\\.'], [''], [null], ['x'], ['\\.x']]);
  });

  it('for floats where shortest digits meet a tie or an interval boundary', async () => {
    const r = new Random(99);
    const bits = new DataView(new ArrayBuffer(8));
    const f4: number[] = [];
    const f8: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      // float32 integers and binary fractions end in 5 where two shortest candidates tie.
      f4.push(Math.fround(r.int(0, 2 ** 24) * 2 ** r.int(-20, 20)));
      bits.setUint32(0, r.uint32());
      f4.push(bits.getFloat32(0));
      // Short decimals of large magnitude can sit exactly between two doubles (1e23).
      f8.push(Number(`${r.int(0, 999)}e${r.int(0, 300)}`));
      f8.push(r.int(0, 2 ** 31) * 2 ** 22 * 2 ** r.int(-100, 100));
      bits.setUint32(0, r.uint32());
      bits.setUint32(4, r.uint32());
      f8.push(bits.getFloat64(0));
    }
    await db.sql.query('SET extra_float_digits = 3');
    for (const [values, type, encode] of [
      [f4, 'float4', float32Text],
      [f8, 'float8', float64Text],
    ] as const) {
      const { rows } = await db.sql.query<{ t: string }>(
        `SELECT v::${type}::text AS t FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n) ORDER BY n`,
        [values.map(floatText)],
      );
      const differences = values.flatMap((x, i) =>
        encode(x) === rows[i]!.t ? [] : [`${floatText(x)}: ${encode(x)} vs ${rows[i]!.t}`],
      );
      expect(differences).toEqual([]);
    }
  });
});
