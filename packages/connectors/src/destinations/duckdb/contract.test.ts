import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeDestinationContract } from '../../contract/destination.contract.js';
import { cellText } from '../../contract/support.js';
import { createDuckdbDestination } from './destination.js';
import { logger, query } from './test-support.js';

describeDestinationContract('duckdb', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dxa-duckdb-contract-'));
  const file = path.join(dir, 'warehouse.duckdb');
  const open = () => createDuckdbDestination({ type: 'duckdb', path: file, memory_limit: '256MB' }, logger);
  return {
    destination: open(),
    open,
    select: async (sql) => (await query(file, sql)).map((row) => row.map(cellText)),
    binaryHex: (column) => `lower(hex(${column}))`,
    tables: async () =>
      existsSync(file)
        ? (await query(file, "SELECT schema_name || '.' || table_name FROM duckdb_tables() ORDER BY 1")).map(
            (row) => String(row[0]),
          )
        : [],
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
