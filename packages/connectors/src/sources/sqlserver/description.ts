import { z } from 'zod';
import { databaseServerFields } from '@dxa/contracts';
import { describeSource } from '../../core/describe.js';

export const SqlServerConnection = z.strictObject({
  type: z.literal('sqlserver'),
  ...databaseServerFields(1433),
  instance_name: z.string().optional(),
});

// Accepted in configuration (the upstream's default source type); extraction is not built yet.
export const sqlserverSource = describeSource({
  role: 'source',
  kind: 'sqlserver',
  title: 'SQL Server',
  config: SqlServerConnection,
  capabilities: { consistency: 'none', partitions: false },
});
