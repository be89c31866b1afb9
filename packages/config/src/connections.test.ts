import { TerminalError } from '@dxa/errors';
import { describe, expect, it } from 'vitest';
import { connectionNames, defaultStageName, getConnection } from './connections.js';
import { loadConfig } from './load.js';

const base = loadConfig({
  env: { DATA_SOURCE_DATABASE: 'erp', SNOWFLAKE_CONNECTION_NAME: 'default' },
}).config;

describe('connection lookup', () => {
  it('lists names per role', () => {
    expect(connectionNames(base)).toEqual({ source: ['source'], stage: ['local'], target: ['snowflake'] });
  });

  it('returns the typed connection or a CONFIG_ERROR listing the configured ones', () => {
    const source = getConnection(base, 'source', 'source');
    expect(source).toMatchObject({ type: 'sqlserver', database: 'erp' });
    expect(() => getConnection(base, 'target', 'warehouse')).toThrow(TerminalError);
    try {
      getConnection(base, 'source', 'x');
    } catch (error) {
      expect(error).toMatchObject({
        code: 'CONFIG_ERROR',
        message: 'unknown source connection "x"; configured: source',
      });
    }
    expect(() => getConnection(base, 'source', 'toString')).toThrow('unknown source connection "toString"');
  });

  it('picks the default stage: configured, else the only one, else "local"', () => {
    expect(defaultStageName(base)).toBe('local');
    const two = {
      ...base,
      connections: {
        ...base.connections,
        stage: { a: { type: 'local' as const, path: '/a' }, b: { type: 'local' as const, path: '/b' } },
      },
    };
    expect(defaultStageName(two)).toBe('local');
    expect(
      defaultStageName({
        ...two,
        connections: { ...two.connections, stage: { b: { type: 'local', path: '/b' } } },
      }),
    ).toBe('b');
    expect(defaultStageName({ ...two, defaults: { ...two.defaults, stage: 'a' } })).toBe('a');
  });
});
