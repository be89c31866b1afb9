import { loadConfig } from '@dxa/config';
import { describe, expect, it } from 'vitest';
import { createMasker } from './mask.js';

describe('createMasker', () => {
  it('masks configured secrets and URL credentials', () => {
    const { config } = loadConfig({
      env: {},
      overrides: {
        redis: { url: 'redis://default:r3dis-pass@127.0.0.1:6379' },
        connections: { source: { pg: { type: 'postgresql', database: 'app', password: 's3cret-pw' } } },
      },
    });
    const mask = createMasker(config);
    const text = mask('login failed for s3cret-pw at postgres://etl:other@127.0.0.1/app and r3dis-pass');
    expect(text).not.toContain('s3cret-pw');
    expect(text).not.toContain('other');
    expect(text).not.toContain('r3dis-pass');
    expect(text).toContain('postgres://etl:***@127.0.0.1/app');
  });
});
