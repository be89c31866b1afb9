import { describe, expect, it } from 'vitest';
import { readAll } from '@dxa/testing';
import { encodeRows, type CsvColumn } from './value-rows.js';

/** The CSV of one column's values, header included. */
async function csv(column: Omit<CsvColumn, 'name'>, values: unknown[], name = 'v'): Promise<string> {
  return readAll(
    encodeRows(
      [{ name, ...column }],
      values.map((v) => [v]),
    ),
  );
}

/** Each value's field (one column, header dropped). */
async function fields(column: Omit<CsvColumn, 'name'>, values: unknown[]): Promise<string[]> {
  return (await csv(column, values)).split('\n').slice(1, -1);
}

describe('encodeRows framing', () => {
  it('writes a header, NULL as a bare empty field and the empty string quoted', async () => {
    const rows = [
      ['x', null, 1],
      ['', undefined, null],
      ['a "quoted", comma', 'line\nbreak\rreturn', 2],
      ['\\.', '\ttab \\ backslash', 3],
    ];
    const columns: CsvColumn[] = [
      { name: 'plain', type: 'text' },
      { name: 'odd, "name"', type: 'text' },
      { name: 'n', type: 'int32' },
    ];
    expect(await readAll(encodeRows(columns, rows))).toBe(
      'plain,"odd, ""name""",n\nx,,1\n"",,\n"a ""quoted"", comma","line\nbreak\rreturn",2\n\\.,\ttab \\ backslash,3\n',
    );
  });

  it('quotes `\\.` only where it would stand alone on a line: a one-column table', async () => {
    expect(await csv({ type: 'text' }, ['\\.', null, ''], '\\.')).toBe('"\\."\n"\\."\n\n""\n');
  });

  it('keeps astral characters and writes json verbatim', async () => {
    expect(await fields({ type: 'text' }, ['ünïcödé ✓ 😀'])).toEqual(['ünïcödé ✓ 😀']);
    expect(await fields({ type: 'json' }, ['{"a": [1, 2.50]}'])).toEqual(['"{""a"": [1, 2.50]}"']);
  });

  it('writes booleans, binary and uuids as PostgreSQL does', async () => {
    expect(await fields({ type: 'boolean' }, [true, false])).toEqual(['t', 'f']);
    const long = Buffer.alloc(100, 0xab);
    expect(await fields({ type: 'binary' }, [Buffer.from([0, 255, 16]), new Uint8Array(0), long])).toEqual([
      '\\x00ff10',
      '\\x',
      `\\x${'ab'.repeat(100)}`,
    ]);
    expect(await fields({ type: 'uuid' }, ['A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'])).toEqual([
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    ]);
  });
});

describe('numbers', () => {
  it('writes integers from numbers, bigints and int64 text', async () => {
    expect(await fields({ type: 'int16' }, [-32768, 32767, -0])).toEqual(['-32768', '32767', '0']);
    expect(
      await fields({ type: 'int64' }, [9223372036854775807n, '-9223372036854775808', 2 ** 53 - 1]),
    ).toEqual(['9223372036854775807', '-9223372036854775808', '9007199254740991']);
  });

  it('writes float8 with the shortest exact digits in PostgreSQL’s layout', async () => {
    // 1e23 lies exactly halfway between two doubles: JavaScript prints it, PostgreSQL does not.
    const values = [
      0.1, 1e-5, 1e15, 1e14, 1.5e-7, 1.2345678901234568e17, 0.0001, 1.7976931348623157e308, 1e23, -2e23,
    ];
    expect(await fields({ type: 'float64' }, [...values, 5e-324, -0, NaN, Infinity, -Infinity])).toEqual([
      '0.1',
      '1e-05',
      '1e+15',
      '100000000000000',
      '1.5e-07',
      '1.2345678901234568e+17',
      '0.0001',
      '1.7976931348623157e+308',
      '9.999999999999999e+22',
      '-1.9999999999999998e+23',
      '5e-324',
      '-0',
      'NaN',
      'Infinity',
      '-Infinity',
    ]);
  });

  it('writes float4 with the shortest digits of the float32', async () => {
    const values = [
      1.100000023841858, 1234567, 123456, 1e-45, 1e6, 999999, 3.4028234663852886e38, 16777217, 42939608,
      8.589973e9,
    ];
    expect(await fields({ type: 'float32' }, values)).toEqual([
      '1.1',
      '1.234567e+06',
      '123456',
      '1e-45',
      '1e+06',
      '999999',
      '3.4028235e+38',
      '1.6777216e+07',
      '4.2939608e+07',
      '8.589974e+09',
    ]);
  });

  it('writes decimals at the column’s scale, exactly, from strings, bigints and narrow numbers', async () => {
    const money = { type: 'decimal', precision: 12, scale: 2 } as const;
    expect(await fields(money, ['1.5', '-0.00', '007.10', '1e3', 42n, 1234567890.12, -0.01, '+3'])).toEqual([
      '1.50',
      '0.00',
      '7.10',
      '1000.00',
      '42.00',
      '1234567890.12',
      '-0.01',
      '3.00',
    ]);
    const any = { type: 'decimal' } as const;
    const wide = '-12345678901234567890123456789012345678.5';
    expect(await fields(any, ['1e-20', '-0.5e-1', '1.23e2', 'nan', '-Infinity', wide, '1.500'])).toEqual([
      '0.00000000000000000001',
      '-0.05',
      '123',
      'NaN',
      '-Infinity',
      wide,
      '1.500',
    ]);
  });
});

describe('dates and times', () => {
  const tedious = (ms: number, nanosecondsDelta: number) =>
    Object.defineProperty(new Date(ms), 'nanosecondsDelta', { value: nanosecondsDelta });

  it('writes dates from midnight-UTC Dates and from text, BC and infinity included', async () => {
    const values = [
      new Date(Date.UTC(2024, 1, 29)),
      new Date(Date.UTC(-4712, 0, 1)),
      '0044-03-15 BC',
      'infinity',
    ];
    expect(await fields({ type: 'date' }, values)).toEqual([
      '2024-02-29',
      '4713-01-01 BC',
      '0044-03-15 BC',
      'infinity',
    ]);
  });

  it('writes timestamps in UTC with microseconds, tedious’ sub-millisecond part included', async () => {
    const at = Date.UTC(2020, 5, 1, 6, 30, 0, 123);
    expect(
      await fields({ type: 'timestamptz' }, [
        new Date(at),
        tedious(at, 0.0004567),
        '2020-06-01 12:00:00.5+05:30',
      ]),
    ).toEqual(['2020-06-01 06:30:00.123+00', '2020-06-01 06:30:00.123457+00', '2020-06-01 06:30:00.5+00']);
    expect(
      await fields({ type: 'timestamp' }, [
        '0044-03-15 09:00:00.500000 BC',
        '294276-12-31 23:59:59.999999',
        '-infinity',
      ]),
    ).toEqual(['0044-03-15 09:00:00.5 BC', '294276-12-31 23:59:59.999999', '-infinity']);
    expect(
      await fields({ type: 'time' }, [tedious(Date.UTC(1970, 0, 1, 12, 34, 56, 789), 0.0000001), '24:00:00']),
    ).toEqual(['12:34:56.789', '24:00:00']);
    // 23:59:59.9999999 (SQL Server's time(7)) rounds to 24:00:00, and a datetime2 to the next day.
    const last = tedious(Date.UTC(1970, 0, 1, 23, 59, 59, 999), 0.0009999);
    expect(await fields({ type: 'time' }, [last])).toEqual(['24:00:00']);
    expect(await fields({ type: 'timestamp' }, [last])).toEqual(['1970-01-02 00:00:00']);
  });

  it('writes intervals in IntervalStyle postgres', async () => {
    const iv = (months: number, days: number, microseconds: number | bigint) => ({
      months,
      days,
      microseconds,
    });
    const values = [
      iv(14, 3, 14706789000),
      iv(0, -1, 7200000000),
      iv(0, 0, 0),
      iv(1, -1, -7200000000),
      iv(-1, 1, 0),
      iv(0, 0, -500000),
      iv(0, 0, 360000000000n),
    ];
    expect(await fields({ type: 'interval' }, values)).toEqual([
      '1 year 2 mons 3 days 04:05:06.789',
      '-1 days +02:00:00',
      '00:00:00',
      '1 mon -1 days -02:00:00',
      '-1 mons +1 day',
      '-00:00:00.5',
      '100:00:00',
    ]);
  });
});

describe('streaming', () => {
  it('batches rows into large chunks', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [i, `row ${i}`]);
    const stream = encodeRows(
      [
        { name: 'i', type: 'int32' },
        { name: 't', type: 'text' },
      ],
      rows,
    );
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(chunks.length).toBeLessThan(10);
    expect(Buffer.concat(chunks).toString().split('\n')).toHaveLength(100_002);
  });

  it('pulls rows only while the reader wants more, and closes the source when closed early', async () => {
    let pulled = 0;
    let closed = false;
    function* endless() {
      try {
        for (;;) {
          pulled += 1;
          yield [pulled, 'x'.repeat(100)];
        }
      } finally {
        closed = true;
      }
    }
    const stream = encodeRows(
      [
        { name: 'i', type: 'int64' },
        { name: 't', type: 'text' },
      ],
      endless(),
    );
    await new Promise((resolve) => stream.once('readable', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // About the 1 MB buffer plus one batch of ~100-byte rows: not the whole (endless) source.
    expect(pulled).toBeLessThan(20_000);
    stream.destroy();
    await new Promise((resolve) => stream.once('close', resolve));
    expect(closed).toBe(true);
  });
});
