import { describe, expect, it } from 'vitest';
import { classifyError } from './classify.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('classifyError: a target or source that goes away is retried', () => {
  it('retries refused, reset and dropped connections as CONNECTION_FAILED', () => {
    for (const err of [
      withCode('connect ECONNREFUSED 127.0.0.1:5999', 'ECONNREFUSED'),
      withCode('read ECONNRESET', 'ECONNRESET'),
      withCode('terminating connection due to administrator command', '57P01'),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
    ]) {
      expect(classifyError(err), err.message).toMatchObject({ kind: 'transient', code: 'CONNECTION_FAILED' });
    }
  });

  it('keeps permission and missing-table errors terminal', () => {
    expect(classifyError(withCode('permission denied for table t', '42501'))).toMatchObject({
      kind: 'terminal',
      code: 'PERMISSION_DENIED',
    });
    expect(classifyError(withCode('relation "t" does not exist', '42P01'))).toMatchObject({
      kind: 'terminal',
    });
  });
});
