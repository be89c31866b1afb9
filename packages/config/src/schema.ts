import { z } from 'zod';
import { ConnectionsSchema } from '@dxa/connectors/src/catalog.js';
import { booleanField as boolean, hostField as host, integer, positiveNumber, secret } from '@dxa/contracts';

// Each connection kind's fields are declared by its connector (packages/connectors, catalog.ts).
export {
  SourceConnection,
  StageConnection,
  TargetConnection,
  type Connections,
} from '@dxa/connectors/src/catalog.js';
export type { PostgresConnection } from '@dxa/connectors/src/sources/postgres/description.js';
export type { MysqlConnection } from '@dxa/connectors/src/sources/mysql/description.js';
export type { DuckdbTarget } from '@dxa/connectors/src/destinations/duckdb/description.js';
export type { LocalStage } from '@dxa/connectors/src/stages/local/description.js';

/** `"a,b"` or `["a", "b"]`, normalised to a list of trimmed labels. */
const labelList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : v,
  z.array(z.string().min(1)).min(1).describe('a label or a list of labels ("a,b" or ["a", "b"])'),
);

// 0 asks the OS for a free port (tests, side-by-side instances).
const listenPort = integer(0, 65535);

export const ConfigSchema = z.strictObject({
  /** Upstream compatibility: accepted and checked; jobs always arrive through the gateway API. */
  selected_task_source: z.enum(['api', 'snowflake_stored_procedure']).optional(),
  application: z
    .strictObject({
      workers: integer(1, 256).default(4),
      affinity: labelList.default(['default']),
      debug_mode: boolean.default(false),
      /** How long SIGTERM waits for running jobs before handing them back. */
      shutdown_timeout_seconds: positiveNumber.default(30),
      /** Local scratch space for files before they are staged. */
      work_dir: z.string().min(1).default('./.dxa/work'),
      agent_id: z.string().optional(),
      /** Upstream polling interval: accepted and ignored (workers are pushed jobs by the queue). */
      task_fetch_interval: positiveNumber.optional(),
      /** Upstream lease refresh: accepted and ignored (BullMQ locks play that role). */
      lease_refresh_interval: positiveNumber.optional(),
    })
    .prefault({}),
  server: z.strictObject({ host: host.default('127.0.0.1'), port: listenPort.default(8080) }).prefault({}),
  redis: z
    .strictObject({
      /** Not a secret as a whole; its password part is (see secretValues and redact). */
      url: z
        .string()
        .regex(/^rediss?:\/\//)
        .describe('a redis:// or rediss:// URL')
        .default('redis://127.0.0.1:6379'),
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9_{}-]+$/)
        .describe('letters, digits, "_", "-", "{" or "}"')
        .default('dxa'),
    })
    .prefault({}),
  task_source: z
    .strictObject({
      api: z.strictObject({ key: secret().optional() }).prefault({}),
      /** Upstream compatibility: accepted, not used. */
      snowflake_stored_procedure: z.strictObject({ connection_name: z.string().optional() }).optional(),
    })
    .prefault({}),
  defaults: z
    .strictObject({ stage: z.string().optional(), format: z.enum(['parquet', 'csv']).default('parquet') })
    .prefault({}),
  connections: ConnectionsSchema.prefault({}),
});
export type DxaConfig = z.infer<typeof ConfigSchema>;
export type ConnectionRole = 'source' | 'stage' | 'target';
