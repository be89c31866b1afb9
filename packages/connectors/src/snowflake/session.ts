import type { Bind, Connection, RowStatement } from 'snowflake-sdk';
import { TransientError, type JobErrorCode } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import { registerSecrets } from '@dxa/logger';
import type { RunContext } from '../core/types.js';
import { throwIfCancelled, wrapSnowflakeError } from './errors.js';
import type { ResolvedConnection } from './options.js';
import { sqlString } from './names.js';
import { snowflakeSdk } from './sdk.js';

export type Row = Record<string, unknown>;

export type ExecuteOptions = {
  binds?: Bind[];
  /** Names the statement in errors and logs (its text may carry credentials, so it is never logged). */
  what: string;
  /** The error code for a failure of the statement itself (default LOAD_ERROR). */
  failure?: JobErrorCode;
};

/** One logged-in Snowflake session. Statements run one at a time; aborting cancels the running one. */
export type SnowflakeSession = {
  execute(sqlText: string, ctx: RunContext, options: ExecuteOptions): Promise<Row[]>;
  /** Tags every later statement of the session with `dxa:<jobId>` (QUERY_HISTORY). */
  tagJob(jobId: string, ctx: RunContext): Promise<void>;
  /** Masks these values too in errors of this session (external stage credentials). */
  addSecrets(values: readonly string[]): void;
  /** Whether a failure left the session unusable (network, expired token); the owner then opens a new one. */
  readonly broken: boolean;
  close(): Promise<void>;
};

function connectAsync(connection: Connection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.connect((err) => (err ? reject(err) : resolve()));
  });
}

function destroyAsync(connection: Connection): Promise<void> {
  return new Promise((resolve) => {
    connection.destroy(() => resolve());
  });
}

/** Logs in; a failure is wrapped (wrong password → terminal PERMISSION_DENIED, refused → transient). */
export async function openSession(
  resolved: ResolvedConnection,
  logger: Logger,
  ctx: RunContext,
): Promise<SnowflakeSession> {
  const sdk = snowflakeSdk(logger);
  const secrets = [...resolved.secrets];
  registerSecrets(secrets);
  const wrapContext = (what: string, failure?: JobErrorCode) => ({
    what,
    label: resolved.label,
    secrets,
    signal: ctx.signal,
    failure,
  });
  throwIfCancelled(ctx.signal);
  let connection: Connection;
  try {
    connection = sdk.createConnection({ ...resolved.options });
    await connectAsync(connection);
  } catch (err) {
    throw wrapSnowflakeError(err, wrapContext('log in'));
  }
  logger.debug('snowflake session opened', { account: resolved.account });
  let broken = false;
  let running: Promise<unknown> = Promise.resolve();

  async function run(sqlText: string, runCtx: RunContext, options: ExecuteOptions): Promise<Row[]> {
    const { signal } = runCtx;
    throwIfCancelled(signal);
    let statement: RowStatement | undefined;
    const onAbort = () => statement?.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await new Promise<Row[]>((resolve, reject) => {
        statement = connection.execute({
          sqlText,
          ...(options.binds ? { binds: options.binds } : {}),
          complete: (err, _stmt, rows) => (err ? reject(err) : resolve((rows ?? []) as Row[])),
        });
      });
    } catch (err) {
      const wrapped = wrapSnowflakeError(err, { ...wrapContext(options.what, options.failure), signal });
      if (wrapped instanceof TransientError && wrapped.code === 'CONNECTION_FAILED') broken = true;
      throw wrapped;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  const session: SnowflakeSession = {
    get broken() {
      return broken || !connection.isUp();
    },
    execute(sqlText, runCtx, options) {
      // One statement at a time: a session is a sequence (transactions, temporary stages).
      const result = running.then(() => run(sqlText, runCtx, options));
      running = result.catch(() => undefined);
      logger.debug('snowflake statement', { what: options.what });
      return result;
    },
    async tagJob(jobId, runCtx) {
      await session.execute(`ALTER SESSION SET QUERY_TAG = ${sqlString(`dxa:${jobId}`)}`, runCtx, {
        what: 'set the query tag',
      });
    },
    addSecrets(values) {
      const fresh = values.filter((v) => v !== '' && !secrets.includes(v));
      secrets.push(...fresh);
      registerSecrets(fresh);
    },
    async close() {
      await running;
      if (connection.isUp()) await destroyAsync(connection);
    },
  };
  return session;
}

/** For clean-up statements (ROLLBACK, DROP, REMOVE) that run after the job's signal fired, within a bounded time. */
export function cleanupContext(): RunContext {
  return { signal: AbortSignal.timeout(120_000) };
}

/** A session opened on first use and opened again after a failure broke it; closed with its owner. */
export type SessionHolder = {
  get(ctx: RunContext): Promise<SnowflakeSession>;
  close(): Promise<void>;
};

export function holdSession(resolved: ResolvedConnection, logger: Logger): SessionHolder {
  let current: Promise<SnowflakeSession> | undefined;
  return {
    async get(ctx) {
      const open = current ? await current.catch(() => undefined) : undefined;
      if (open && !open.broken) return open;
      if (open) await open.close().catch(() => undefined);
      const attempt = openSession(resolved, logger, ctx);
      current = attempt;
      // A failed login is not cached: the next use tries again.
      attempt.catch(() => {
        if (current === attempt) current = undefined;
      });
      return attempt;
    },
    async close() {
      const open = current ? await current.catch(() => undefined) : undefined;
      current = undefined;
      await open?.close();
    },
  };
}
