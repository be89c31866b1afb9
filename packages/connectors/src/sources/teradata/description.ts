import { z } from 'zod';
import { extraOptionsField, hostField, portField, secret } from '@dxa/contracts';
import { describeSource } from '../../core/describe.js';

export const TeradataConnection = z.strictObject({
  type: z.literal('teradata'),
  host: hostField.default('127.0.0.1'),
  port: portField.default(1025),
  database: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: secret().optional(),
  extra_options: extraOptionsField,
});

// Accepted in configuration (an upstream source type); extraction is not built yet.
export const teradataSource = describeSource({
  role: 'source',
  kind: 'teradata',
  title: 'Teradata',
  config: TeradataConnection,
  capabilities: { consistency: 'none', partitions: false },
});
