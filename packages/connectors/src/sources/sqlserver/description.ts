import { z } from 'zod';
import { extraOptionsField, hostField, portField, secret } from '@dxa/contracts';
import { describeSource } from '../../core/describe.js';

export const SqlServerConnection = z.strictObject({
  type: z.literal('sqlserver'),
  host: hostField.default('127.0.0.1'),
  port: portField.default(1433),
  database: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: secret().optional(),
  instance_name: z.string().optional(),
  extra_options: extraOptionsField,
});

// Accepted in configuration (the upstream's default source type); extraction is not built yet.
export const sqlserverSource = describeSource({
  role: 'source',
  kind: 'sqlserver',
  title: 'SQL Server',
  config: SqlServerConnection,
  capabilities: { consistency: 'none', partitions: false },
});
