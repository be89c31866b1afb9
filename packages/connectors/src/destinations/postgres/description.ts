import { describeTarget } from '../../core/describe.js';
import { PostgresConnection, pgDriverErrors } from '../../sources/postgres/description.js';

export const postgresTarget = describeTarget({
  role: 'target',
  kind: 'postgresql',
  title: 'PostgreSQL',
  config: PostgresConnection,
  // It streams staged files through the stage itself, so any stage works.
  capabilities: { formats: ['csv', 'parquet'], stages: ['local', 's3', 'azure_blob'], transactional: true },
  driverErrors: pgDriverErrors,
  load: async () => {
    const { createPostgresDestination } = await import('./destination.js');
    return (connection, deps) => createPostgresDestination(connection, deps.logger);
  },
});
