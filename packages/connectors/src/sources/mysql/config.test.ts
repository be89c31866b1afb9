import { describe, expect, it } from 'vitest';
import type { MysqlConnection } from './description.js';
import { poolOptions } from './config.js';

const base: MysqlConnection = {
  type: 'mysql',
  host: 'db.internal',
  port: 3307,
  database: 'shop',
  username: 'etl',
  password: 'pw',
  extra_options: {},
};

describe('MySQL pool options', () => {
  it('reads values as exact text over utf8mb4, one statement per query', () => {
    expect(poolOptions(base)).toMatchObject({
      host: 'db.internal',
      port: 3307,
      database: 'shop',
      user: 'etl',
      password: 'pw',
      charset: 'utf8mb4_general_ci',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      decimalNumbers: false,
      multipleStatements: false,
    });
  });

  it('takes connect_timeout in seconds and ssl', () => {
    const options = poolOptions({ ...base, extra_options: { connect_timeout: 3, ssl: 'require' } });
    expect(options.connectTimeout).toBe(3000);
    expect(options.ssl).toEqual({ rejectUnauthorized: false });
    expect(poolOptions({ ...base, extra_options: { ssl: true } }).ssl).toEqual({ rejectUnauthorized: true });
  });

  it('refuses an option it does not know as a configuration error', () => {
    expect(() => poolOptions({ ...base, extra_options: { multipleStatements: true } })).toThrow(
      expect.objectContaining({ name: 'TerminalError', code: 'CONFIG_ERROR' }),
    );
  });
});
