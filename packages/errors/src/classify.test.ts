import { describe, expect, it } from 'vitest';
import { classifyError } from './classify.js';
import type { DriverErrorTable } from './driver-errors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const withErrno = (message: string, errno: number, sqlState?: string) =>
  Object.assign(new Error(message), { errno, sqlState });

// Tables of the same shapes the connectors declare (SQLSTATE codes; numbered server errors).
const sqlStateTable: DriverErrorTable = {
  driver: 'sqlstate-driver',
  field: 'code',
  owns: (code) => typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && /\d/.test(code),
  terminal: { '42501': 'PERMISSION_DENIED', '42P01': 'SOURCE_NOT_FOUND' },
  transientClasses: ['08', '57'],
  badSqlClasses: ['42', '22'],
  messages: [{ pattern: /Connection terminated/i, kind: 'transient', code: 'CONNECTION_FAILED' }],
};
const numberedTable: DriverErrorTable = {
  driver: 'numbered-driver',
  field: 'errno',
  owns: (code) => typeof code === 'number' && code >= 1000,
  terminal: { 1146: 'SOURCE_NOT_FOUND' },
  transient: [2013],
  sqlStateField: 'sqlState',
  badSqlClasses: ['42'],
  connectionLostCodes: ['PROTOCOL_CONNECTION_LOST'],
};
const tables = [sqlStateTable, numberedTable];

describe('classifyError: a target or source that goes away is retried', () => {
  it('retries refused, reset and dropped connections as CONNECTION_FAILED', () => {
    for (const err of [
      withCode('connect ECONNREFUSED 127.0.0.1:5999', 'ECONNREFUSED'),
      withCode('read ECONNRESET', 'ECONNRESET'),
      withCode('terminating connection due to administrator command', '57P01'),
      new Error('Connection terminated unexpectedly'),
      withErrno('Lost connection to server during query', 2013),
      withCode('Connection lost: The server closed the connection.', 'PROTOCOL_CONNECTION_LOST'),
    ]) {
      expect(classifyError(err, tables), err.message).toMatchObject({
        kind: 'transient',
        code: 'CONNECTION_FAILED',
      });
    }
  });

  it('reads terminal codes and bad-SQL classes from the driver tables', () => {
    expect(classifyError(withCode('permission denied for table t', '42501'), tables)).toMatchObject({
      kind: 'terminal',
      code: 'PERMISSION_DENIED',
    });
    expect(classifyError(withCode('syntax error at or near "x"', '42601'), tables)).toMatchObject({
      kind: 'terminal',
      code: 'BAD_SQL',
    });
    expect(classifyError(withErrno("Table 'a.b' doesn't exist", 1146), tables)).toMatchObject({
      kind: 'terminal',
      code: 'SOURCE_NOT_FOUND',
    });
    expect(classifyError(withErrno('You have an error in your SQL', 1149, '42000'), tables)).toMatchObject({
      kind: 'terminal',
      code: 'BAD_SQL',
    });
  });

  it('without a table that knows the code, an unknown failure is retried as INTERNAL', () => {
    expect(classifyError(withCode('permission denied for table t', '42501'), [])).toMatchObject({
      kind: 'transient',
      code: 'INTERNAL',
    });
    // A Node code of five letters is not a SQLSTATE.
    expect(classifyError(withCode('write EPERM', 'EPERM'), tables)).toMatchObject({ code: 'INTERNAL' });
  });
});
