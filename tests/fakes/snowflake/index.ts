import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Engine, type Row } from './engine.js';
import { FakeHttpServer } from './server.js';
import { closeSession } from './session.js';
import type { FailureMode, FakeState, RecordedQuery, SnowflakeFakeOptions } from './state.js';

export type { FailureMode, FakeUser, RecordedQuery, SnowflakeFakeOptions } from './state.js';

export type SnowflakeFake = {
  port: number;
  /** `http://127.0.0.1:<port>`: give it to the SDK as `accessUrl` (with `account: fake.account`). */
  accessUrl: string;
  account: string;
  database: string;
  schema: string;
  /** Closes the listener and resets open connections; data, stages and sessions are kept. */
  stop(): Promise<void>;
  /** Listens again on the same port after stop(). */
  restart(): Promise<void>;
  /** stop(), then closes DuckDB and removes the data folder if the fake created it. */
  close(): Promise<void>;
  /** Direct access to the DuckDB engine (default database and schema), for assertions. */
  engine: { query(sql: string): Promise<Row[]> };
  /** Every statement received, in order: query tag in force, session id, requestId, error code, failNext mark. */
  queries: RecordedQuery[];
  /** Folder under which internal stages (user `users/`, table `tables/`, named `named/`) keep their files. */
  stageRoot: string;
  /**
   * Makes the next `times` statements whose text matches `matcher` fail as `how` says (a
   * Snowflake error, an HTTP status, or a dropped connection before/after running).
   */
  failNext(matcher: RegExp, how: FailureMode, times?: number): void;
};

export async function startSnowflakeFake(options: SnowflakeFakeOptions): Promise<SnowflakeFake> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'dxa-snowflake-fake-')));
  const stageRoot = path.join(dataDir, 'stages');
  await mkdir(stageRoot, { recursive: true });
  const database = options.database ?? 'DXA_DB';
  const schema = options.schema ?? 'PUBLIC';
  const engine = await Engine.open(dataDir, { database, schema });
  const state: FakeState = {
    options: {
      ...options,
      account: options.account ?? 'fake',
      database,
      schema,
      dataDir,
      stageRoot,
      debug: options.debug ?? process.env.DXA_SNOWFLAKE_FAKE_DEBUG === '1',
    },
    engine,
    sessions: new Map(),
    stages: new Map(),
    queries: [],
    failures: [],
    byRequestId: new Map(),
    byQueryId: new Map(),
  };
  const http = new FakeHttpServer(state, options.port ?? 0);
  try {
    await http.listen();
  } catch (err) {
    engine.close();
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  let closed = false;
  return {
    port: http.port,
    accessUrl: `http://127.0.0.1:${http.port}`,
    account: state.options.account,
    database,
    schema,
    stop: () => http.close(),
    restart: () => http.listen(),
    async close() {
      if (closed) return;
      closed = true;
      await http.close();
      for (const session of state.sessions.values()) await closeSession(session);
      state.sessions.clear();
      engine.close();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
    engine: { query: (sql) => engine.query(sql) },
    queries: state.queries,
    stageRoot,
    failNext(matcher, how, times = 1) {
      state.failures.push({ matcher, how, remaining: times });
    },
  };
}
