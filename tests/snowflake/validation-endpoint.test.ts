import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnowflakeDestination, type DestinationConnector } from '@dxa/connectors/src/factories.js';
import { logger } from '@dxa/connectors/src/destinations/snowflake/test-support.js';
import { snowflakeValidationColumn } from '@dxa/connectors/src/destinations/snowflake/validation-endpoint.js';
import type { SnowflakeFake } from '../fakes/snowflake/index.js';
import { startFake, targetConfig } from './support.js';

const signal = () => new AbortController().signal;

// `describe` (INFORMATION_SCHEMA.COLUMNS) and the Snowflake-dialect validation SQL run against the fake
// in validation.test.ts; here, the endpoint's own behaviour.
describe('Snowflake validation endpoint (protocol fake)', () => {
  let fake: SnowflakeFake;
  let dest: DestinationConnector;

  beforeAll(async () => {
    fake = await startFake();
    dest = createSnowflakeDestination(targetConfig(fake), logger);
    await fake.engine.query(
      `CREATE TABLE "T" ("ID" BIGINT, "NOTE" VARCHAR); INSERT INTO "T" VALUES (1, 'a'), (2, '')`,
    );
  });

  afterAll(async () => {
    await dest?.close();
    await fake?.close();
  });

  it('runs queries through the destination session and labels itself without credentials', async () => {
    const endpoint = dest.validationEndpoint!();
    expect(endpoint.dialect.name).toBe('snowflake');
    expect(endpoint.label).not.toContain('pa55');
    const rows = await endpoint.query('SELECT COUNT(*) AS N, MAX(NOTE) AS M FROM T', signal());
    expect(rows.map((r) => [Number(r.N), r.M])).toEqual([[2, 'a']]);
    await expect(endpoint.query('SELECT * FROM NO_SUCH_TABLE', signal())).rejects.toMatchObject({
      name: 'TerminalError',
      message: expect.stringContaining('validate: a validation query') as unknown,
    });
    await endpoint.close();
    // The session belongs to the destination: closing the endpoint leaves it usable.
    expect(await dest.count('T', { signal: signal() })).toBe(2);
  });

  it('maps Snowflake column types to logical types', () => {
    const col = (type: string, p?: number, s?: number) => snowflakeValidationColumn('c', type, true, p, s);
    expect(col('NUMBER', 5, 0).type).toBe('int16');
    expect(col('NUMBER', 10, 0).type).toBe('int32');
    expect(col('NUMBER', 19, 0).type).toBe('int64');
    expect(col('NUMBER', 12, 2)).toMatchObject({
      type: 'decimal',
      precision: 12,
      scale: 2,
      engineType: 'NUMBER(12,2)',
    });
    expect(col('NUMBER', 38, 0).type).toBe('decimal');
    expect(col('FLOAT').type).toBe('float64');
    expect(col('TEXT').type).toBe('text');
    expect(col('BINARY').type).toBe('binary');
    expect(col('TIMESTAMP_NTZ').type).toBe('timestamp');
    expect(col('TIMESTAMP_TZ').type).toBe('timestamptz');
    expect(col('TIMESTAMP_LTZ').type).toBe('timestamptz');
    expect(col('VARIANT').type).toBe('json');
    expect(col('GEOGRAPHY').type).toBe('text');
  });

  it('names a table as Snowflake reads it: unquoted parts upper-cased, quoted ones exact', async () => {
    const endpoint = dest.validationEndpoint!();
    expect(await endpoint.resolve({ table: 't' }, signal())).toEqual({ table: '"T"' });
    expect(await endpoint.resolve({ table: 'db.public."Mixed"' }, signal())).toEqual({
      table: '"DB"."PUBLIC"."Mixed"',
    });
    const narrowed = await endpoint.resolve(
      { table: 't', columns: ['note', 'Id'], where: 'ID > 1' },
      signal(),
    );
    expect(narrowed).toEqual({ table: '"T"', columns: ['NOTE', 'ID'], where: 'ID > 1' });
    expect((await endpoint.describe(narrowed, signal())).map((c) => c.name)).toEqual(['NOTE', 'ID']);
  });

  it('refuses to describe a query (targets are tables)', async () => {
    await expect(dest.validationEndpoint!().describe({ query: 'SELECT 1' }, signal())).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
    });
  });
});
