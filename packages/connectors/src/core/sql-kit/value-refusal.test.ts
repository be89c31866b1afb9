import { describe, expect, it } from 'vitest';
import { TerminalError } from '@dxa/errors';
import { readAll } from '@dxa/testing';
import { ValueRowsCsv, encodeRows, type CsvColumn } from './value-rows.js';

describe('refusals', () => {
  const secret = 'hunter2-secret';

  async function refusal(column: CsvColumn, values: unknown[]): Promise<TerminalError> {
    const rows = values.map((v, i) => [i, v]);
    const error = await readAll(encodeRows([{ name: 'id', type: 'int32' }, column], rows)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as Error).message).not.toContain(secret);
    return error as TerminalError;
  }

  it('names the column and the row of a value of the wrong kind, never the value', async () => {
    const error = await refusal({ name: 'flag', type: 'boolean' }, [true, false, secret]);
    expect(error).toMatchObject({
      code: 'INTERNAL',
      step: 'extract',
      message: 'column "flag" (boolean), row 3: expected a boolean, got a string',
    });
    expect((await refusal({ name: 'n', type: 'int16' }, [40000])).message).toMatch(
      /row 1: .*does not fit int16/,
    );
    expect((await refusal({ name: 'd', type: 'date' }, [`2020-13-01 ${secret}`])).message).toMatch(
      /column "d" \(date\), row 1/,
    );
  });

  it('refuses a JavaScript number for a decimal too wide for a double to hold exactly', async () => {
    const wide = await refusal({ name: 'amount', type: 'decimal', precision: 20, scale: 2 }, ['1.00', 1.5]);
    expect(wide.message).toMatch(
      /^column "amount" \(decimal\), row 2: a JavaScript number cannot hold every digit of decimal\(20,2\)/,
    );
    expect((await refusal({ name: 'x', type: 'decimal' }, [0.5])).message).toMatch(/unconstrained decimal/);
    expect(
      (await refusal({ name: 'x', type: 'decimal', precision: 5, scale: 2 }, ['1.234'])).message,
    ).toMatch(/scale \(2\)/);
    expect(
      (await refusal({ name: 'x', type: 'decimal', precision: 5, scale: 2 }, ['1234.5'])).message,
    ).toMatch(/decimal\(5,2\)/);
  });

  it('refuses text with an unpaired surrogate and a number beyond 2^53 for int64', async () => {
    expect(await refusal({ name: 't', type: 'text' }, ['ok', `${secret}\ud800`])).toMatchObject({
      code: 'BAD_SQL',
    });
    expect((await refusal({ name: 'big', type: 'int64' }, [2 ** 60])).message).toMatch(/bigint or string/);
  });

  it('refuses a row with the wrong number of values and writes nothing of a refused row', async () => {
    const csvRows = new ValueRowsCsv([
      { name: 'a', type: 'text' },
      { name: 'b', type: 'boolean' },
    ]);
    csvRows.addRow(['kept', true]);
    expect(() => csvRows.addRow(['dropped', 'yes'])).toThrow(/row 2: expected a boolean/);
    expect(() => csvRows.addRow(['short'])).toThrow(/row 3 has 1 values for 2 columns/);
    csvRows.finish();
    expect(await readAll(csvRows)).toBe('a,b\nkept,t\n');
  });
});
