import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbColumnType, duckdbReadCsvSql, quoteDuckdbIdent, quoteDuckdbString } from './duckdb-csv.js';
import { duckdbRows } from './test-support.js';
import type { EncodeColumn } from './types.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dxa-duckcsv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads one interchange-CSV column through duckdbReadCsvSql and returns each value as DuckDB prints it. */
async function roundTrip(
  column: EncodeColumn,
  values: string[],
  parallel?: boolean,
): Promise<(string | null)[]> {
  const path = join(dir, `${column.type}-${values.length}.csv`);
  await writeFile(path, `${[quoteCsv(column.name), ...values].join('\n')}\n`);
  const select = duckdbReadCsvSql([path], [column], parallel === undefined ? {} : { parallel });
  const rows = await duckdbRows(
    `SELECT CAST(${quoteDuckdbIdent(column.name)} AS VARCHAR) AS v FROM (${select})`,
  );
  return rows.map((r) => (typeof r.v === 'string' ? r.v : null));
}

function quoteCsv(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

describe('duckdbReadCsvSql', () => {
  it('maps engine-neutral types to DuckDB column types', () => {
    expect(duckdbColumnType({ name: 'a', type: 'decimal', precision: 38, scale: 10 })).toBe('DECIMAL(38,10)');
    expect(duckdbColumnType({ name: 'a', type: 'decimal', precision: 39, scale: 0 })).toBe('VARCHAR');
    expect(duckdbColumnType({ name: 'a', type: 'decimal' })).toBe('VARCHAR');
    expect(duckdbColumnType({ name: 'a', type: 'timestamptz' })).toBe('TIMESTAMPTZ');
    expect(quoteDuckdbIdent('we"ird')).toBe('"we""ird"');
    expect(quoteDuckdbString("it's")).toBe("'it''s'");
  });

  it('keeps BC dates BC and infinite dates infinite', async () => {
    expect(
      await roundTrip({ name: 'd', type: 'date' }, [
        '2024-02-29',
        '4713-01-01 BC',
        '0001-01-01 BC',
        'infinity',
        '-infinity',
        '',
      ]),
    ).toEqual(['2024-02-29', '4713-01-01 (BC)', '0001-01-01 (BC)', 'infinity', '-infinity', null]);
  });

  it('reads timestamps, BC timestamps and infinity', async () => {
    expect(
      await roundTrip({ name: 'ts', type: 'timestamp' }, [
        '2020-01-01 12:34:56.123456',
        '0044-03-15 09:00:00.5 BC',
        'infinity',
        '-infinity',
      ]),
    ).toEqual(['2020-01-01 12:34:56.123456', '0044-03-15 (BC) 09:00:00.5', 'infinity', '-infinity']);
    const tz = await roundTrip({ name: 'tz', type: 'timestamptz' }, [
      '2020-06-01 06:30:00+00',
      '0044-03-15 09:00:00+00 BC',
      'infinity',
    ]);
    expect(tz[2]).toBe('infinity');
    const rows = await duckdbRows(
      `SELECT epoch_us(tz)::VARCHAR AS us FROM (${duckdbReadCsvSql([join(dir, 'timestamptz-3.csv')], [{ name: 'tz', type: 'timestamptz' }])}) LIMIT 2`,
    );
    // Microseconds since 1970 as PostgreSQL computes them: extract(epoch from …) * 1e6.
    expect(rows.map((r) => r.us)).toEqual(['1590993000000000', '-63517791600000000']);
  });

  it('reads PostgreSQL-style intervals, including mixed signs', async () => {
    expect(
      await roundTrip({ name: 'i', type: 'interval' }, [
        '1 year 2 mons 3 days 04:05:06.789',
        '-1 days -02:00:00',
        '1 year -2 mons +3 days -04:05:06',
        '100:00:00',
      ]),
    ).toEqual([
      '1 year 2 months 3 days 04:05:06.789',
      '-1 day -02:00:00',
      '10 months 3 days -04:05:06',
      '100:00:00',
    ]);
  });

  it('reads floats with NaN and infinities exactly', async () => {
    expect(
      await roundTrip({ name: 'f', type: 'float64' }, [
        '0.1',
        '1e+300',
        'NaN',
        'Infinity',
        '-Infinity',
        '-0',
        '5e-324',
      ]),
    ).toEqual(['0.1', '1e+300', 'nan', 'inf', '-inf', '-0.0', '5e-324']);
    expect(await roundTrip({ name: 'r', type: 'float32' }, ['1.1', '3.4028235e+38'])).toEqual([
      '1.1',
      '3.4028235e+38',
    ]);
  });

  it('keeps text NULL apart from the empty string and decodes binary', async () => {
    expect(await roundTrip({ name: 't', type: 'text' }, ['', '""', '"  padded  "', '   '])).toEqual([
      null,
      '',
      '  padded  ',
      '   ',
    ]);
    const path = join(dir, 'bin.csv');
    await writeFile(path, 'b\n\\x00ff\n\\x\n\n');
    const hex = await duckdbRows(
      `SELECT hex(b) AS h FROM (${duckdbReadCsvSql([path], [{ name: 'b', type: 'binary' }])})`,
    );
    expect(hex.map((r) => r.h)).toEqual(['00FF', '', null]);
  });

  it('reads uuid, json, time, wide decimals and booleans', async () => {
    expect(await roundTrip({ name: 'u', type: 'uuid' }, ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'])).toEqual([
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    ]);
    expect(await roundTrip({ name: 'j', type: 'json' }, ['"{""a"": [1, 2.50, null]}"'])).toEqual([
      '{"a": [1, 2.50, null]}',
    ]);
    expect(await roundTrip({ name: 't', type: 'time' }, ['00:00:00', '23:59:59.999999', '24:00:00'])).toEqual(
      ['00:00:00', '23:59:59.999999', '24:00:00'],
    );
    const wide = '12345678901234567890123456789012345678901234.5678';
    expect(await roundTrip({ name: 'n', type: 'decimal', precision: 60, scale: 4 }, [wide])).toEqual([wide]);
    expect(await roundTrip({ name: 'b', type: 'boolean' }, ['t', 'f', ''])).toEqual(['true', 'false', null]);
  });

  it('reads rows longer than DuckDB’s default 2 MB line limit', async () => {
    const big = 'x'.repeat(3_000_000);
    const values = await roundTrip({ name: 'big', type: 'text' }, [big, 'small']);
    expect(values.map((v) => v?.length)).toEqual([3_000_000, 5]);
  });

  it('fails loudly instead of turning a bad value into NULL', async () => {
    await expect(roundTrip({ name: 'n', type: 'int32' }, ['12', 'twelve'])).rejects.toThrow(
      /Conversion Error|Could not convert/,
    );
  });

  it('reads multi-line quoted fields in one file with the parallel scan off', async () => {
    const values = Array.from({ length: 2000 }, (_, i) => quoteCsv(`v${i}\nnext, "line"`));
    const read = await roundTrip({ name: 'm', type: 'text' }, values, false);
    expect(read).toHaveLength(2000);
    expect(read[1999]).toBe('v1999\nnext, "line"');
  });
});
