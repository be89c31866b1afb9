import { MANIFEST_NAME } from '@dxa/files';
import { describe, expect, it } from 'vitest';
import { manifestPathFor, stagePrefixFor, workDirFor } from './stage-paths.js';

describe('stage paths', () => {
  it('puts each job in its own folder under the requested path', () => {
    expect(stagePrefixFor(undefined, 'j1')).toBe('j1/');
    expect(stagePrefixFor('', 'j1')).toBe('j1/');
    expect(stagePrefixFor('orders/', 'j1')).toBe('orders/j1/');
    expect(stagePrefixFor('a//b/./', 'j1')).toBe('a/b/j1/');
  });

  it('names the manifest inside the job folder and the work dir per job', () => {
    expect(manifestPathFor('orders/j1/')).toBe(`orders/j1/${MANIFEST_NAME}`);
    expect(workDirFor('/tmp/work', 'j1')).toBe('/tmp/work/j1');
  });
});
