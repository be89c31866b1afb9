import { z } from 'zod';
import { databaseServerFields } from '@dxa/contracts';
import type { DriverErrorTable } from '@dxa/errors';
import { describeSource } from '../../core/describe.js';

export const MysqlConnection = z.strictObject({
  type: z.literal('mysql'),
  ...databaseServerFields(3306),
});
export type MysqlConnection = z.infer<typeof MysqlConnection>;

/** mysql2 errors: server error numbers (https://mariadb.com/kb/en/mariadb-error-code-reference/). */
export const mysqlDriverErrors: DriverErrorTable = {
  driver: 'mysql2',
  field: 'errno',
  // Node's socket errors carry negative errnos; the server's start at 1000.
  owns: (code) => typeof code === 'number' && code >= 1000,
  terminal: {
    1044: 'PERMISSION_DENIED', // access denied to database
    1045: 'PERMISSION_DENIED', // bad user or password
    1142: 'PERMISSION_DENIED', // table access denied
    1143: 'PERMISSION_DENIED', // column access denied
    1227: 'PERMISSION_DENIED',
    1049: 'CONFIG_ERROR', // unknown database
    1146: 'SOURCE_NOT_FOUND', // no such table
    1054: 'SOURCE_NOT_FOUND', // unknown column
    1109: 'SOURCE_NOT_FOUND', // unknown table in a clause
    1792: 'BAD_SQL', // write attempted in a read-only transaction
    1064: 'BAD_SQL', // syntax error
    1060: 'BAD_SQL', // duplicate column name in a query source
  },
  transient: [
    1040, // too many connections
    1053, // server shutdown
    1205, // lock wait timeout
    1213, // deadlock
    1317, // query interrupted (by someone else than us)
    1927, // connection killed
    2006, // server has gone away
    2013, // lost connection during query
  ],
  // Other 42xxx (syntax, access rule) and 22xxx (data) errors: retrying cannot help.
  sqlStateField: 'sqlState',
  badSqlClasses: ['42', '22'],
  connectionLostCodes: ['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT'],
};

export const mysqlSource = describeSource({
  role: 'source',
  kind: 'mysql',
  title: 'MySQL',
  config: MysqlConnection,
  // One consistent snapshot per read; tables are not split yet.
  capabilities: { consistency: 'snapshot', partitions: false },
  driverErrors: mysqlDriverErrors,
  load: async () => {
    const { createMysqlSource } = await import('./source.js');
    return (connection, deps) => createMysqlSource(connection, deps.logger);
  },
});
