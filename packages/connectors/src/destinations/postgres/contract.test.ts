import { createTestDatabase } from '@dxa/testing';
import { describeDestinationContract } from '../../contract/destination.contract.js';
import { cellText } from '../../contract/support.js';
import { pgConnection } from '../../sources/postgres/test-support.js';
import { createPostgresDestination } from './destination.js';
import { logger } from './test-support.js';

describeDestinationContract('postgresql', async () => {
  const db = await createTestDatabase('pgcontract');
  const conn = pgConnection(db);
  const open = () => createPostgresDestination(conn, logger);
  const rows = async (sql: string) => {
    const client = await db.client();
    try {
      return (await client.query<unknown[]>({ text: sql, rowMode: 'array' })).rows;
    } finally {
      await client.end();
    }
  };
  return {
    destination: open(),
    open,
    select: async (sql) => (await rows(sql)).map((row) => row.map(cellText)),
    binaryHex: (column) => `encode(${column}, 'hex')`,
    tables: async () =>
      (
        await rows(
          `SELECT schemaname || '.' || tablename FROM pg_tables
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
        )
      ).map((row) => String(row[0])),
    cleanup: () => db.drop(),
  };
});
