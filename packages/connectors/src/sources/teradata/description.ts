import { z } from 'zod';
import { databaseServerFields } from '@dxa/contracts';
import { describeSource } from '../../core/describe.js';

export const TeradataConnection = z.strictObject({
  type: z.literal('teradata'),
  ...databaseServerFields(1025),
});

// Accepted in configuration (an upstream source type); extraction is not built yet.
export const teradataSource = describeSource({
  role: 'source',
  kind: 'teradata',
  title: 'Teradata',
  config: TeradataConnection,
  capabilities: { consistency: 'none', partitions: false },
});
