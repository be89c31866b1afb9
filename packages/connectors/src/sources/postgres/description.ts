import { z } from 'zod';
import { extraOptionsField, hostField, portField, secret } from '@dxa/contracts';
import type { DriverErrorTable } from '@dxa/errors';
import { describeSource } from '../../core/describe.js';

export const PostgresConnection = z.strictObject({
  type: z.literal('postgresql'),
  host: hostField.default('127.0.0.1'),
  port: portField.default(5432),
  database: z.string().min(1),
  username: z.string().min(1).default('postgres'),
  password: secret().optional(),
  sslmode: z.enum(['disable', 'prefer', 'require', 'verify-full']).default('disable'),
  /** Extra libpq-style options, e.g. application_name. */
  extra_options: extraOptionsField,
});
export type PostgresConnection = z.infer<typeof PostgresConnection>;

/** node-postgres errors: SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const pgDriverErrors: DriverErrorTable = {
  driver: 'pg',
  field: 'code',
  // Node's own codes are letters only (EPIPE); a SQLSTATE has five characters, at least one a digit.
  owns: (code) => typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && /\d/.test(code),
  terminal: {
    '42501': 'PERMISSION_DENIED',
    '28000': 'PERMISSION_DENIED',
    '28P01': 'PERMISSION_DENIED',
    '42P01': 'SOURCE_NOT_FOUND',
    '42703': 'SOURCE_NOT_FOUND',
    '3F000': 'SOURCE_NOT_FOUND',
    '3D000': 'CONFIG_ERROR',
    '25006': 'BAD_SQL', // read-only transaction
  },
  // Connection exceptions, resources, operator intervention, system errors, rollbacks.
  transientClasses: ['08', '53', '57', '58', '40'],
  badSqlClasses: ['42', '22'],
  messages: [
    {
      pattern:
        /Connection terminated|server closed the connection unexpectedly|connection error and is not queryable|Client was closed/i,
      kind: 'transient',
      code: 'CONNECTION_FAILED',
    },
  ],
};

export const postgresSource = describeSource({
  role: 'source',
  kind: 'postgresql',
  title: 'PostgreSQL',
  config: PostgresConnection,
  // pg_export_snapshot: every partition reads the table as of one moment.
  capabilities: { consistency: 'snapshot', partitions: true },
  driverErrors: pgDriverErrors,
  load: async () => {
    const { createPostgresSource } = await import('./source.js');
    return (connection, deps) => createPostgresSource(connection, deps.logger);
  },
});
