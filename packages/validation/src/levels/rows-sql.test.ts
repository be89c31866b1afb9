import { describe, expect, it } from 'vitest';
import { dialectFor } from '../canonical/index.js';
import { bucketRowsSql, bucketSummarySql, integerBucketing } from './rows-sql.js';

const d = dialectFor('postgresql');
const id = { name: 'id', expr: '"id"', type: 'int64' as const };
const name = { name: 'name', expr: '"name"', type: 'text' as const };

describe('row bucketing', () => {
  it('buckets by integer arithmetic only when the key is one integer column on both sides', () => {
    expect(integerBucketing([id], [{ ...id, type: 'int32' }])).toBe(true);
    expect(integerBucketing([id], [{ ...id, type: 'decimal' }])).toBe(false);
    expect(integerBucketing([id, name], [id, name])).toBe(false);
    expect(integerBucketing([name], [name])).toBe(false);
  });

  it('reads the integer key instead of hashing its text, in both passes', () => {
    const shape = { from: '"t"', key: [id], columns: [id, name], integerBucket: true };
    const summary = bucketSummarySql(d, shape, 7);
    expect(summary).toContain('COALESCE(CAST("id" AS BIGINT), 0) AS kh');
    expect(summary).toContain('(((kh % 2147483647) * 1103515245 % 2147483647) % 7) AS b');
    expect(summary.match(/MD5\(/g)).toHaveLength(1);
    expect(bucketRowsSql(d, shape, 7, [2])).toContain('% 7) IN (2)');
    expect(bucketSummarySql(d, { ...shape, integerBucket: false }, 7)).toContain('SUBSTR(kh, 1, 15)');
  });

  it('spreads keys in arithmetic progression over every bucket', () => {
    // The same arithmetic as the SQL, in BigInt: multiples of the bucket count must not collapse.
    const buckets = 50n;
    const bucketOf = (k: bigint) => (((k % 2147483647n) * 1103515245n) % 2147483647n) % buckets;
    const seen = new Set<bigint>();
    for (let k = 0n; k < 5000n; k += 1n) seen.add(bucketOf(k * buckets));
    expect(seen.size).toBe(Number(buckets));
  });
});
