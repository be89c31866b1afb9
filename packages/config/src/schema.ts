import { z } from 'zod';
import { secret } from './secret.js';

const port = z.number().int().min(1).max(65535);
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

export const SqlServerConnection = genericDbConnection('sqlserver', 1433).extend({ instance_name: z.string().optional() });
export const TeradataConnection = genericDbConnection('teradata', 1025);
export const MysqlConnection = genericDbConnection('mysql', 3306);

export const SourceConnection = z.discriminatedUnion('type', [
  PostgresConnection,
  SqlServerConnection,
  TeradataConnection,
  MysqlConnection,
]);
export type SourceConnection = z.infer<typeof SourceConnection>;

export const LocalStage = z.strictObject({ type: z.literal('local'), path: z.string().min(1).default('./.dxa/stage') });
export type LocalStage = z.infer<typeof LocalStage>;

export const S3Stage = z.strictObject({
  type: z.literal('s3'),
  bucket_name: z.string().min(1),
  prefix: z.string().default(''),
  region: z.string().default('us-east-1'),
  endpoint: z.string().url().optional(),
  force_path_style: z.boolean().default(false),
  profile_name: z.string().optional(),
  access_key_id: secret().optional(),
  secret_access_key: secret().optional(),
});

export const AzureBlobStage = z.strictObject({
  type: z.literal('azure_blob'),
  container_name: z.string().min(1),
  prefix: z.string().default(''),
  connection_string: secret().optional(),
  account_name: z.string().optional(),
  account_key: secret().optional(),
  sas_token: secret().optional(),
  use_default_credential: z.boolean().default(false),
});

export const SnowflakeStage = z.strictObject({
  type: z.literal('snowflake_stage'),
  connection: z.string().min(1),
  stage: z.string().default('@~'),
});

export const StageConnection = z.discriminatedUnion('type', [LocalStage, S3Stage, AzureBlobStage, SnowflakeStage]);
export type StageConnection = z.infer<typeof StageConnection>;

export const DuckdbTarget = z.strictObject({ type: z.literal('duckdb'), path: z.string().min(1).default('./.dxa/warehouse.duckdb') });
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
  application: z
    .strictObject({
      workers: z.number().int().min(1).max(256).default(4),
      affinity: z.array(z.string()).min(1).default(['default']),
      debug_mode: z.boolean().default(false),
      /** How long SIGTERM waits for running jobs before handing them back. */
      shutdown_timeout_seconds: z.number().positive().default(30),
      /** Local scratch space for files before they are staged. */
      work_dir: z.string().default('./.dxa/work'),
      agent_id: z.string().optional(),
    })
    .prefault({}),
  server: z.strictObject({ host: host.default('127.0.0.1'), port: port.default(8080) }).prefault({}),
  redis: z
    .strictObject({ url: secret().default('redis://127.0.0.1:6379'), prefix: z.string().regex(/^[A-Za-z0-9_{}-]+$/).default('dxa') })
    .prefault({}),
  task_source: z.strictObject({ api: z.strictObject({ key: secret().optional() }).prefault({}) }).prefault({}),
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
