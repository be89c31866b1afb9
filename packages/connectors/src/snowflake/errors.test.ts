import { describe, expect, it } from 'vitest';
import { CancelledError, TerminalError, TransientError } from '@dxa/errors';
import { maskSnowflakeText, wrapSnowflakeError, type WrapContext } from './errors.js';

const ctx: WrapContext = {
  what: 'COPY INTO "T"',
  label: 'account "acme" at https://acme.snowflakecomputing.com',
  secrets: ['pw-secret-1'],
};

function sdkError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(typeof fields.message === 'string' ? fields.message : 'failed'), fields);
}

describe('wrapSnowflakeError', () => {
  it('makes a wrong password terminal, naming the account and not the password', () => {
    const err = wrapSnowflakeError(
      sdkError({
        name: 'OperationFailedError',
        code: '390100',
        message: 'Incorrect username or password was specified.',
      }),
      { ...ctx, what: 'log in' },
    );
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as TerminalError).code).toBe('PERMISSION_DENIED');
    expect(err.message).toContain('account "acme"');
    expect(err.message).toContain('log in failed (390100)');
  });

  it('classifies SQL errors as terminal and network errors as transient', () => {
    const compile = wrapSnowflakeError(
      sdkError({ code: '001003', sqlState: '42000', message: 'SQL compilation error' }),
      ctx,
    );
    expect(compile).toBeInstanceOf(TerminalError);
    expect((compile as TerminalError).code).toBe('BAD_SQL');
    const missing = wrapSnowflakeError(
      sdkError({ code: '002003', sqlState: '02000', message: 'does not exist' }),
      ctx,
    );
    expect((missing as TerminalError).code).toBe('LOAD_ERROR');
    const refused = wrapSnowflakeError(
      sdkError({
        name: 'NetworkError',
        code: 401001,
        cause: { code: 'ECONNREFUSED' },
        message: 'Network error.',
      }),
      ctx,
    );
    expect(refused).toBeInstanceOf(TransientError);
    expect((refused as TransientError).code).toBe('CONNECTION_FAILED');
    const http503 = wrapSnowflakeError(sdkError({ code: 401002, response: { statusCode: 503 } }), ctx);
    expect(http503).toBeInstanceOf(TransientError);
    const http404 = wrapSnowflakeError(sdkError({ code: 401002, response: { statusCode: 404 } }), ctx);
    expect(http404).toBeInstanceOf(TerminalError);
    expect(wrapSnowflakeError(sdkError({ code: '390114', message: 'token expired' }), ctx)).toBeInstanceOf(
      TransientError,
    );
    expect((wrapSnowflakeError(sdkError({ code: 404005 }), ctx) as TerminalError).code).toBe('CONFIG_ERROR');
  });

  it('turns a failure after an abort into a cancellation', () => {
    const controller = new AbortController();
    controller.abort();
    const err = wrapSnowflakeError(sdkError({ code: '000604', message: 'SQL execution canceled' }), {
      ...ctx,
      signal: controller.signal,
    });
    expect(err).toBeInstanceOf(CancelledError);
  });

  it('masks the CREDENTIALS clause, key literals and known secrets if an error echoes the statement', () => {
    const echoed =
      'SQL compilation error: syntax error near CREATE TEMPORARY STAGE "S" URL = \'s3://b/p/\' ' +
      "CREDENTIALS = (AWS_KEY_ID = 'AKIAEXAMPLE' AWS_SECRET_KEY = 'wJalr/XUtnFEMI+K7MDENG') and pw-secret-1";
    const err = wrapSnowflakeError(sdkError({ code: '001003', sqlState: '42000', message: echoed }), ctx);
    expect(err.message).not.toContain('AKIAEXAMPLE');
    expect(err.message).not.toContain('wJalr');
    expect(err.message).not.toContain('pw-secret-1');
    expect(err.message).toContain('CREDENTIALS = (***)');
  });

  it('cuts row values out of load errors but keeps the file', () => {
    const err = wrapSnowflakeError(
      sdkError({
        code: '100038',
        sqlState: '22018',
        message:
          "Numeric value 'secret-row-value' is not recognized\n  File 'dxa/j/part-00001.csv.gz', line 3, character 5\n  If you would like to continue loading when an error is encountered, use ON_ERROR",
      }),
      ctx,
    );
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as TerminalError).code).toBe('LOAD_ERROR');
    expect(err.message).not.toContain('secret-row-value');
    expect(err.message).toContain("File 'dxa/j/part-00001.csv.gz', line 3");
    expect(err.message).not.toContain('If you would like');
  });

  it('keeps errors that are already classified', () => {
    const original = new TerminalError('INTEGRITY_ERROR', 'x');
    expect(wrapSnowflakeError(original, ctx)).toBe(original);
  });
});

describe('maskSnowflakeText', () => {
  it('masks an Azure SAS token literal and a storage integration statement keeps its name', () => {
    const text =
      "URL = 'azure://a.blob.core.windows.net/c/' CREDENTIALS = (AZURE_SAS_TOKEN = 'sv=2022&sig=abc%2Bdef')";
    const masked = maskSnowflakeText(text, []);
    expect(masked).not.toContain('sig=abc');
    expect(maskSnowflakeText('STORAGE_INTEGRATION = "MY_INT"', [])).toBe('STORAGE_INTEGRATION = "MY_INT"');
  });
});
