import type { Column } from '@dxa/contracts';
import { decimalText } from './value-decimal.js';
import { intervalText } from './value-interval.js';
import { INT16, INT32, INT64, floatWriterText, integerText } from './value-numbers.js';
import { timestampWriter, writeDate, writeTime } from './value-temporal.js';
import {
  checkedText,
  writeAscii,
  writeBinary,
  writeBoolean,
  writeText,
  writeUuid,
  type ValueWriter,
} from './value-text.js';

/** The column facts the encoder needs. */
export type CsvColumn = Pick<Column, 'name' | 'type'> & {
  precision?: number | undefined;
  scale?: number | undefined;
};

const ascii =
  (format: (value: unknown) => string): ValueWriter =>
  (value, out) =>
    writeAscii(out, format(value));

/** The writer of a column's logical type; `lonely` when it is the only column (the `\.` rule). */
export function writerFor(column: CsvColumn, lonely: boolean): ValueWriter {
  switch (column.type) {
    case 'boolean':
      return writeBoolean;
    case 'int16':
      return ascii((v) => integerText(v, INT16));
    case 'int32':
      return ascii((v) => integerText(v, INT32));
    case 'int64':
      return ascii((v) => integerText(v, INT64));
    case 'float32':
      return ascii((v) => floatWriterText(v, true));
    case 'float64':
      return ascii((v) => floatWriterText(v, false));
    case 'decimal':
      return ascii((v) => decimalText(v, column));
    case 'binary':
      return writeBinary;
    case 'date':
      return writeDate;
    case 'time':
      return writeTime;
    case 'timestamp':
      return timestampWriter(false);
    case 'timestamptz':
      return timestampWriter(true);
    case 'interval':
      return ascii(intervalText);
    case 'uuid':
      return writeUuid;
    case 'text':
    case 'json':
      return (value, out) => writeText(out, checkedText(value), lonely);
  }
}
