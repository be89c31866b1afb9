import { z } from 'zod';
import { secret } from './secret.js';

/** Integers may arrive as strings from `${ENV_VAR}` substitution or environment variables. */
const integer = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number().int().min(min).max(max),
  );
const positiveNumber = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v),
  z.number().positive(),
);
const boolean = z.preprocess(
  (v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v),
  z.boolean(),
);
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

const port = integer(1, 65535);
// 0 asks the OS for a free port (tests, side-by-side instances).
const listenPort = integer(0, 65535);
const host = z.string().min(1).max(255);

export const PostgresConnection = z.strictObject({
  type: z.literal('postgresql'),
  host: host.default('127.0.0.1'),
  port: port.default(5432),
  database: z.string().min(1),
  username: z.string().min(1).default('postgres'),
  password: secret().optional(),
  sslmode: z.enum(['disable', 'prefer', 'require', 'verify-full']).default('disable'),
  /** Extra libpq-style options, e.g. application_name. */
  extra_options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type PostgresConnection = z.infer<typeof PostgresConnection>;

const genericDbConnection = <T extends string>(type: T, defaultPort: number) =>
  z.strictObject({
    type: z.literal(type),
    host: host.default('127.0.0.1'),
    port: port.default(defaultPort),
    database: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: secret().optional(),
    extra_options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  });

export const SqlServerConnection = genericDbConnection('sqlserver', 1433).extend({
  instance_name: z.string().optional(),
});
export const TeradataConnection = genericDbConnection('teradata', 1025);
export const MysqlConnection = genericDbConnection('mysql', 3306);
export type MysqlConnection = z.infer<typeof MysqlConnection>;

export const SourceConnection = z.discriminatedUnion('type', [
  PostgresConnection,
  SqlServerConnection,
  TeradataConnection,
  MysqlConnection,
]);
export type SourceConnection = z.infer<typeof SourceConnection>;

export const LocalStage = z.strictObject({
  type: z.literal('local'),
  path: z.string().min(1).default('./.dxa/stage'),
});
export type LocalStage = z.infer<typeof LocalStage>;

export const S3Stage = z.strictObject({
  type: z.literal('s3'),
  bucket_name: z.string().min(1),
  prefix: z.string().default(''),
  region: z.string().default('us-east-1'),
  endpoint: z.string().url().optional(),
  force_path_style: boolean.default(false),
  profile_name: z.string().optional(),
  access_key_id: secret().optional(),
  secret_access_key: secret().optional(),
  /** Snowflake storage integration used when a Snowflake target reads this stage as an external stage. */
  storage_integration: z.string().optional(),
});

export const AzureBlobStage = z.strictObject({
  type: z.literal('azure_blob'),
  container_name: z.string().min(1),
  prefix: z.string().default(''),
  connection_string: secret().optional(),
  account_name: z.string().optional(),
  account_key: secret().optional(),
  sas_token: secret().optional(),
  use_default_credential: boolean.default(false),
  /** Blob service URL for account_name auth (Azurite, sovereign clouds); default https://<account_name>.blob.core.windows.net. */
  endpoint: z.string().url().optional(),
  /** Snowflake storage integration used when a Snowflake target reads this stage as an external stage. */
  storage_integration: z.string().optional(),
});

export const SnowflakeStage = z.strictObject({
  type: z.literal('snowflake_stage'),
  connection: z.string().min(1),
  stage: z.string().default('@~'),
});

export const StageConnection = z.discriminatedUnion('type', [
  LocalStage,
  S3Stage,
  AzureBlobStage,
  SnowflakeStage,
]);
export type StageConnection = z.infer<typeof StageConnection>;

export const DuckdbTarget = z.strictObject({
  type: z.literal('duckdb'),
  path: z.string().min(1).default('./.dxa/warehouse.duckdb'),
  /** DuckDB's memory cap while loading; it spills to disk beyond it, so a worker's memory stays bounded. */
  memory_limit: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, { message: 'must be a size like "256MB"' })
    .default('128MB'),
});
export type DuckdbTarget = z.infer<typeof DuckdbTarget>;

export const PostgresTarget = PostgresConnection;

export const SnowflakeTarget = z.strictObject({
  type: z.literal('snowflake'),
  connection_name: z.string().optional(),
  account: z.string().optional(),
  user: z.string().optional(),
  password: secret().optional(),
  authenticator: z.string().optional(),
  private_key_path: z.string().optional(),
  private_key_passphrase: secret().optional(),
  token_file_path: z.string().optional(),
  warehouse: z.string().optional(),
  database: z.string().optional(),
  schema: z.string().optional(),
  role: z.string().optional(),
  host: z.string().optional(),
  port: port.optional(),
  protocol: z.enum(['http', 'https']).optional(),
  access_url: z.string().optional(),
});

export const TargetConnection = z.discriminatedUnion('type', [DuckdbTarget, PostgresTarget, SnowflakeTarget]);
export type TargetConnection = z.infer<typeof TargetConnection>;

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
  connections: z
    .strictObject({
      source: z.record(z.string(), SourceConnection).default({}),
      stage: z.record(z.string(), StageConnection).default({}),
      target: z.record(z.string(), TargetConnection).default({}),
    })
    .prefault({}),
});
export type DxaConfig = z.infer<typeof ConfigSchema>;
export type ConnectionRole = 'source' | 'stage' | 'target';
