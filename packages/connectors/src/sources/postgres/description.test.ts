import { classifyError } from '@dxa/errors';
import { describe, expect, it } from 'vitest';
// The catalog installs every connector's driver error table for classifyError.
import '../../catalog.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('PostgreSQL driver errors (pgDriverErrors, installed by the catalog)', () => {
  it('retries lost connections and server shutdowns', () => {
    for (const err of [
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('could not serialize access due to concurrent update', '40001'),
      new Error('Client has encountered a connection error and is not queryable'),
    ])
      expect(classifyError(err), err.message).toMatchObject({ kind: 'transient', code: 'CONNECTION_FAILED' });
  });

  it('keeps permission, missing-table and syntax errors terminal', () => {
    expect(classifyError(withCode('permission denied for table t', '42501'))).toMatchObject({
      kind: 'terminal',
      code: 'PERMISSION_DENIED',
    });
    expect(classifyError(withCode('relation "t" does not exist', '42P01'))).toMatchObject({
      kind: 'terminal',
      code: 'SOURCE_NOT_FOUND',
    });
    expect(classifyError(withCode('division by zero', '22012'))).toMatchObject({
      kind: 'terminal',
      code: 'BAD_SQL',
    });
  });
});
