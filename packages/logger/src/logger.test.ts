import { Writable } from 'node:stream';
import winston from 'winston';
import { describe, expect, it } from 'vitest';
import { createLogger, maskSecretsInText, registerSecrets, type Logger } from './index.js';

type Line = Record<string, unknown>;

/** A logger writing JSON lines into memory, through the real createLogger format. */
function memoryLogger(level = 'debug'): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n'))
        if (text.trim() !== '') lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return {
    logger: createLogger('test', { level, transports: [new winston.transports.Stream({ stream })] }),
    lines,
  };
}

function logOne(write: (logger: Logger) => void): Line {
  const { logger, lines } = memoryLogger();
  write(logger);
  expect(lines).toHaveLength(1);
  return lines[0] ?? {};
}

describe('logger redaction', () => {
  it('writes JSON lines with logger name, level, timestamp and child fields', () => {
    const { logger, lines } = memoryLogger('info');
    const jobLogger = logger.child({ jobId: 'j-1', queue: 'extract.blue' });
    jobLogger.info('extract started', { table: 'public.orders' });
    jobLogger.debug('not written at level info');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      message: 'extract started',
      logger: 'test',
      jobId: 'j-1',
      queue: 'extract.blue',
      table: 'public.orders',
    });
    expect(typeof lines[0]?.timestamp).toBe('string');
  });

  it('masks values under secret-looking keys, headers and payload, at any depth', () => {
    const line = logOne((l) =>
      l.info('conn', {
        password: 'p1',
        conn: {
          db_password: 'p2',
          apiKey: 'k',
          sas_token: 't',
          connection_string: 'c',
          Authorization: 'Bearer x',
          client_secret: 's',
          use_default_credential: true,
        },
        headers: { 'x-api-key': 'k' },
        payload: { rows: [1, 2] },
        host: '127.0.0.1',
      }),
    );
    expect(line).toMatchObject({
      password: '***',
      conn: {
        db_password: '***',
        apiKey: '***',
        sas_token: '***',
        connection_string: '***',
        Authorization: '***',
        client_secret: '***',
        use_default_credential: true,
      },
      headers: '***',
      payload: '***',
      host: '127.0.0.1',
    });
  });

  it('masks credentials in URLs and connection strings inside any string', () => {
    const line = logOne((l) =>
      l.warn('connecting to postgres://etl:pg-pass@127.0.0.1:5432/app', {
        redis: 'redis://:r3dis@127.0.0.1:6379',
        azure:
          'DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=abc+/def==;EndpointSuffix=core.windows.net',
        sas: 'BlobEndpoint=https://x;SharedAccessSignature=sv=2020&sig=zzz',
        url: 'https://acc.blob.core.windows.net/c?sv=2020-08-04&sig=AbC%2Fd&se=2030',
        odbc: 'Server=h;Uid=sa;Password="a;b";Database=d',
      }),
    );
    expect(line.message).toBe('connecting to postgres://etl:***@127.0.0.1:5432/app');
    expect(line.redis).toBe('redis://:***@127.0.0.1:6379');
    expect(line.azure).toBe(
      'DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=***;EndpointSuffix=core.windows.net',
    );
    expect(line.sas).toBe('BlobEndpoint=https://x;SharedAccessSignature=***');
    expect(line.url).toBe('https://acc.blob.core.windows.net/c?sv=2020-08-04&sig=***&se=2030');
    expect(line.odbc).toBe('Server=h;Uid=sa;Password=***;Database=d');
  });

  it('masks registered secret values wherever they appear, also percent-encoded', () => {
    registerSecrets(['Zq7-registered-secret', 'p@ss word!', 'ab']);
    const line = logOne((l) =>
      l.error('login failed for Zq7-registered-secret', {
        detail: ['x Zq7-registered-secret y'],
        dsn: 'u=p%40ss%20word!',
      }),
    );
    expect(line.message).toBe('login failed for ***');
    expect(line.detail).toEqual(['x *** y']);
    expect(line.dsn).toBe('u=***');
    // Too short to scan for: would mask every "ab".
    expect(maskSecretsInText('abc')).toBe('abc');
    expect(maskSecretsInText('token Zq7-registered-secret')).toBe('token ***');
  });

  it('caps string length, array length and depth', () => {
    const deep = { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } };
    const line = logOne((l) =>
      l.info('big', { text: 'x'.repeat(5000), list: Array.from({ length: 120 }, (_, i) => i), deep }),
    );
    expect(String(line.text)).toMatch(/^x{2000}…\[truncated, 5000 chars\]$/);
    expect(line.list).toHaveLength(51);
    expect((line.list as unknown[])[50]).toBe('…[70 more items]');
    expect(line.deep).toEqual({ a: { b: { c: { d: { e: '[Object]' } } } } });
  });

  it('turns errors into name, message and code, masking the message', () => {
    const error = Object.assign(new Error('auth failed: postgres://u:hunter2@127.0.0.1/db'), {
      code: '28P01',
      password: 'x',
    });
    const nested = logOne((l) => l.error('extract failed', { err: error }));
    expect(nested.err).toEqual({
      name: 'Error',
      message: 'auth failed: postgres://u:***@127.0.0.1/db',
      code: '28P01',
    });
    const direct = logOne((l) => l.error(error as unknown as string));
    expect(direct).toMatchObject({
      level: 'error',
      message: 'auth failed: postgres://u:***@127.0.0.1/db',
      code: '28P01',
      password: '***',
    });
    expect(direct.error).toEqual({
      name: 'Error',
      message: 'auth failed: postgres://u:***@127.0.0.1/db',
      code: '28P01',
    });
    expect(JSON.stringify(direct)).not.toContain('hunter2');
  });

  it('handles circular values', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(logOne((l) => l.info('c', { loop })).loop).toEqual({ name: 'loop', self: '[Circular]' });
  });
});

describe('log level', () => {
  it('comes from the option, else LOG_LEVEL, else info', () => {
    expect(createLogger('a', { level: 'debug' }).level).toBe('debug');
    const saved = process.env.LOG_LEVEL;
    try {
      process.env.LOG_LEVEL = 'WARN';
      expect(createLogger('b').level).toBe('warn');
      process.env.LOG_LEVEL = 'chatty';
      expect(createLogger('c').level).toBe('info');
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
  });
});
