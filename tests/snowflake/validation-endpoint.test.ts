import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeValidationEndpointContract } from '@dxa/connectors/src/contract/validation-endpoint.contract.js';
import { createSnowflakeDestination, type DestinationConnector } from '@dxa/connectors/src/factories.js';
import { logger } from '@dxa/connectors/src/destinations/snowflake/test-support.js';
import { snowflakeValidationColumn } from '@dxa/connectors/src/destinations/snowflake/validation-endpoint.js';
import type { SnowflakeFake } from '../fakes/snowflake/index.js';
import { PASSWORD, startFake, targetConfig } from './support.js';

const signal = () => new AbortController().signal;

describeValidationEndpointContract('snowflake target (protocol fake)', async () => {
  const fake = await startFake();
  // DuckDB DECIMAL(p,0) reads back as NUMBER(p,0), as the target's own DDL writes integers.
  await fake.engine.query(
    `CREATE TABLE "VT" ("b" DECIMAL(19,0) NOT NULL, "id" DECIMAL(10,0) NOT NULL, "amount" DECIMAL(12,2),
                        "note" VARCHAR, "raw" BLOB, PRIMARY KEY ("id", "b"));
     CREATE TABLE "VT_NOKEY" ("x" DECIMAL(10,0));
     INSERT INTO "VT" VALUES (1, 10, 1.50, 'a', '\\x00\\xFF'::BLOB), (2, 20, NULL, '', NULL)`,
  );
  const owner = createSnowflakeDestination(targetConfig(fake), logger);
  return {
    dialect: 'snowflake',
    qualifiedTable: `"${fake.database}"."${fake.schema}"."VT"`,
    endpoint: () => owner.validationEndpoint!(),
    owner,
    queries: false,
    // Validation writes the only SQL it runs here: a target takes no query relations.
    readOnly: false,
    primaryKeys: false,
    // The fake answers a cancel but cannot stop DuckDB: no statement is cancelled mid-way here.
    secrets: [PASSWORD],
    async cleanup() {
      await owner.close();
      await fake.close();
    },
  };
});

describe('Snowflake validation endpoint (protocol fake)', () => {
  let fake: SnowflakeFake;
  let dest: DestinationConnector;

  beforeAll(async () => {
    fake = await startFake();
    dest = createSnowflakeDestination(targetConfig(fake), logger);
    await fake.engine.query(
      `CREATE TABLE "T" ("ID" BIGINT, "NOTE" VARCHAR); INSERT INTO "T" VALUES (1, 'a'), (2, '');
       CREATE TABLE "Mixed" ("X" BIGINT)`,
    );
  });

  afterAll(async () => {
    await dest?.close();
    await fake?.close();
  });

  it('names a table as Snowflake reads it: unquoted parts upper-cased, quoted ones exact, qualified from the catalog', async () => {
    const endpoint = dest.validationEndpoint!();
    expect(await endpoint.resolve({ table: 't' }, signal())).toEqual({ table: '"DXA_DB"."PUBLIC"."T"' });
    expect(await endpoint.resolve({ table: 'dxa_db.public."Mixed"' }, signal())).toEqual({
      table: '"DXA_DB"."PUBLIC"."Mixed"',
    });
    await expect(endpoint.resolve({ table: 'mixed' }, signal())).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
    });
    const narrowed = await endpoint.resolve(
      { table: 't', columns: ['note', 'Id'], where: 'ID > 1' },
      signal(),
    );
    expect(narrowed).toEqual({ table: '"DXA_DB"."PUBLIC"."T"', columns: ['NOTE', 'ID'], where: 'ID > 1' });
    expect((await endpoint.describe(narrowed, signal())).map((c) => c.name)).toEqual(['NOTE', 'ID']);
  });
});

// The endpoint's own column mapping (INFORMATION_SCHEMA.COLUMNS and the validation SQL run against
// the fake in validation.test.ts and the contract above).
describe('Snowflake validation endpoint', () => {
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
});
