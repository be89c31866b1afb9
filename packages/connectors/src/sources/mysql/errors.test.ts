import { describe, expect, it } from 'vitest';
import { CancelledError, TerminalError, TransientError } from '@dxa/errors';
import { wrapMysqlError } from './errors.js';

const serverError = (message: string, errno: number, sqlState: string) =>
  Object.assign(new Error(message), { errno, sqlState, code: 'ER_X', sql: 'SELECT secret' });
const ctx = { step: 'extract', what: 'extract shop.orders', password: 'hunter2-pw' };

describe('wrapMysqlError', () => {
  it.each([
    [1146, '42S02', TerminalError, 'SOURCE_NOT_FOUND'],
    [1054, '42S22', TerminalError, 'SOURCE_NOT_FOUND'],
    [1064, '42000', TerminalError, 'BAD_SQL'],
    [1792, '25006', TerminalError, 'BAD_SQL'],
    [1045, '28000', TerminalError, 'PERMISSION_DENIED'],
    [1049, '42000', TerminalError, 'CONFIG_ERROR'],
    [1213, '40001', TransientError, 'CONNECTION_FAILED'],
    [2013, 'HY000', TransientError, 'CONNECTION_FAILED'],
  ] as const)('classifies server error %i', (errno, sqlState, kind, code) => {
    const wrapped = wrapMysqlError(serverError('boom', errno, sqlState), ctx);
    expect(wrapped).toBeInstanceOf(kind);
    expect(wrapped).toMatchObject({
      code,
      step: 'extract',
      message: `extract shop.orders: boom (error ${errno})`,
    });
  });

  it('retries a refused connection and scrubs the password from every message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED for hunter2-pw'), { code: 'ECONNREFUSED' });
    const wrapped = wrapMysqlError(refused, ctx);
    expect(wrapped).toBeInstanceOf(TransientError);
    expect(wrapped.code).toBe('CONNECTION_FAILED');
    expect(JSON.stringify({ m: wrapped.message, wrapped })).not.toMatch(/hunter2-pw|SELECT secret/);
  });

  it('reports anything as cancelled once the signal is aborted', () => {
    const controller = new AbortController();
    controller.abort();
    const wrapped = wrapMysqlError(serverError('Query execution was interrupted', 1317, '70100'), {
      ...ctx,
      signal: controller.signal,
    });
    expect(wrapped).toBeInstanceOf(CancelledError);
  });
});
