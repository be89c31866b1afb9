import { describeDestinationContract } from '@dxa/connectors/src/contract/destination.contract.js';
import { cellText } from '@dxa/connectors/src/contract/support.js';
import { createSnowflakeDestination } from '@dxa/connectors/src/factories.js';
import { logger } from '@dxa/connectors/src/destinations/snowflake/test-support.js';
import { startFake, tablesInFake, targetConfig } from './support.js';

describeDestinationContract('snowflake (protocol fake)', async () => {
  const fake = await startFake();
  const open = () => createSnowflakeDestination(targetConfig(fake), logger);
  return {
    destination: open(),
    open,
    // The fake's engine is DuckDB: the suite's SQL runs there as written.
    select: async (sql) => (await fake.engine.query(sql)).map((row) => Object.values(row).map(cellText)),
    // Parquet loads hold BINARY; CSV loads keep the interchange text `\x…` (docs/type-mapping.md).
    binaryHex: (column) =>
      `CASE WHEN typeof(${column}) = 'BLOB' THEN lower(hex(${column})) ELSE replace(CAST(${column} AS VARCHAR), '\\x', '') END`,
    tables: () => tablesInFake(fake),
    cleanup: () => fake.close(),
  };
});
