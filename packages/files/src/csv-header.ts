import { TerminalError } from '@dxa/errors';
import type { EncodeColumn } from './types.js';

/** Field values of one CSV line (the header): `"` quoting with `""` for a quote. */
export function parseCsvLine(line: string): string[] {
  const text = line.replace(/\r?\n$/, '');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let value = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) throw new Error('unterminated quoted field in CSV header');
        value += text.slice(i, close);
        i = close + 1;
        if (text[i] !== '"') break;
        value += '"';
        i += 1;
      }
    } else {
      const comma = text.indexOf(',', i);
      const end = comma === -1 ? text.length : comma;
      value = text.slice(i, end);
      i = end;
    }
    fields.push(value);
    if (i >= text.length) return fields;
    i += 1; // the comma
  }
}

/** The header must name the columns in order, or typed reading would shift values between columns. */
export function checkHeader(header: Buffer, columns: EncodeColumn[]): void {
  const names = parseCsvLine(header.toString('utf8'));
  const expected = columns.map((c) => c.name);
  if (names.length !== expected.length || names.some((n, i) => n !== expected[i])) {
    throw new TerminalError(
      'INTERNAL',
      `the CSV header (${names.join(', ')}) does not match the columns (${expected.join(', ')})`,
      { step: 'extract' },
    );
  }
}
