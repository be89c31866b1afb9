import type { Engine } from './engine.js';
import type { Session } from './session.js';
import type { StageDefinition } from './stage-paths.js';

/** The JSON body of every answer the fake gives the SDK. */
export type Envelope = { success: boolean; code: string | null; message: string | null; data: unknown };

export type FakeUser = {
  password?: string;
  /** PEM (SPKI) public key; the user may then log in with SNOWFLAKE_JWT signed by the matching private key. */
  publicKeyPem?: string;
  /** The user may log in with authenticator OAUTH and this token. */
  oauthToken?: string;
};

export type SnowflakeFakeOptions = {
  /** Login name → credentials. Login names are case-insensitive, as in Snowflake. */
  users: Record<string, FakeUser>;
  /** The account name the SDK is configured with (JWT `sub`/`iss` carry it). Default `fake`. */
  account?: string;
  /** Created at start-up; sessions that name no database/schema use them. Default DXA_DB / PUBLIC. */
  database?: string;
  schema?: string;
  /** s3rver (or any S3) endpoint that `s3://` stage URLs resolve to, with path-style addressing. */
  s3Endpoint?: string;
  /** Azurite base URL (`http://127.0.0.1:PORT`); `azure://<account>.blob…/<container>/` → `<base>/<account>/<container>`. */
  azureBlobEndpoint?: string;
  /**
   * Storage integrations the fake knows. A stage naming one of them reads with the default
   * credentials below; an unknown name fails CREATE STAGE as in Snowflake.
   */
  storageIntegrations?: string[];
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
  azureCredentials?: { accountName: string; accountKey: string };
  /** 0 or unset: a free port. */
  port?: number;
  /** Where DuckDB files and internal stages live. Default: a fresh temporary folder, removed by close(). */
  dataDir?: string;
  /** Logs unknown endpoints and failed statements to stderr. Also on with DXA_SNOWFLAKE_FAKE_DEBUG=1. */
  debug?: boolean;
};

export type ResolvedOptions = Required<
  Pick<SnowflakeFakeOptions, 'users' | 'account' | 'database' | 'schema'>
> &
  Omit<SnowflakeFakeOptions, 'users' | 'account' | 'database' | 'schema' | 'dataDir' | 'port'> & {
    dataDir: string;
    stageRoot: string;
    debug: boolean;
  };

/** What a test can make the next matching statement do (see `failNext`). */
export type FailureMode =
  /** Answer with a Snowflake error (the statement does not run). */
  | { code: string; message: string; sqlState?: string }
  /** Answer with this HTTP status (5xx/429 make the SDK retry the request). */
  | { httpStatus: number }
  /** Reset the connection before running the statement. */
  | 'drop'
  /** Run the statement, then reset the connection instead of answering (the SDK retries; see README). */
  | 'drop-after';

export type ScheduledFailure = { matcher: RegExp; how: FailureMode; remaining: number };

export type RecordedQuery = {
  sqlText: string;
  queryTag: string | undefined;
  sessionId: number;
  requestId: string | undefined;
  queryId: string;
  /** The Snowflake error code if the statement failed. */
  errorCode?: string;
  /** Set when failNext answered instead of running the statement ('drop-after' runs it and is not marked). */
  injected?: 'error' | 'http-status' | 'drop';
};

export type FakeState = {
  options: ResolvedOptions;
  engine: Engine;
  /** Session token → session. Sessions survive stop()/restart(), as they do on Snowflake. */
  sessions: Map<string, Session>;
  /** Permanent named stages, keyed by `DB.SCHEMA.NAME`. */
  stages: Map<string, StageDefinition>;
  queries: RecordedQuery[];
  failures: ScheduledFailure[];
  /** Answers by requestId (a retried request gets the first answer) and by queryId (`/queries/<id>/result`). */
  byRequestId: Map<string, Promise<Envelope>>;
  byQueryId: Map<string, Envelope>;
};

export function debugLog(state: FakeState, message: string): void {
  if (state.options.debug) process.stderr.write(`[snowflake-fake] ${message}\n`);
}

/** What a statement handler gets: the fake, the calling session and the query id it reports. */
export type StatementContext = { state: FakeState; session: Session; queryId: string };
