import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Engine } from './engine.js';
import { SnowflakeError } from './errors.js';
import type { StageDefinition } from './stage-paths.js';

/** Load-history changes made by a statement; applied when its transaction commits. */
export type HistoryChange =
  { kind: 'record'; tableId: number; file: string; md5: string } | { kind: 'clear'; tableId: number };

export type Session = {
  id: number;
  token: string;
  masterToken: string;
  user: string;
  database: string;
  schema: string;
  warehouse: string | undefined;
  role: string | undefined;
  conn: DuckDBConnection;
  queryTag: string | undefined;
  inTransaction: boolean;
  /** DuckDB aborts the whole transaction when a statement in it fails (Snowflake only that statement). */
  transactionAborted: boolean;
  pending: HistoryChange[];
  /** Temporary stages live and die with the session. Keyed by `db.schema.name` (upper-cased). */
  temporaryStages: Map<string, StageDefinition>;
  /** Statements of one session run one after another, as on one Snowflake connection. */
  queue: Promise<unknown>;
};

let nextSessionId = 1;

export async function openSession(
  engine: Engine,
  init: {
    user: string;
    database: string;
    schema: string;
    warehouse?: string;
    role?: string;
    queryTag?: string;
  },
): Promise<Session> {
  const conn = await engine.connect(init.database, init.schema);
  return {
    id: nextSessionId++,
    token: `fake-session-${randomBytes(12).toString('hex')}`,
    masterToken: `fake-master-${randomBytes(12).toString('hex')}`,
    user: init.user,
    database: init.database,
    schema: init.schema,
    warehouse: init.warehouse,
    role: init.role,
    conn,
    queryTag: init.queryTag,
    inTransaction: false,
    transactionAborted: false,
    pending: [],
    temporaryStages: new Map(),
    queue: Promise.resolve(),
  };
}

export function serialize<T>(session: Session, work: () => Promise<T>): Promise<T> {
  const result = session.queue.then(work, work);
  session.queue = result.catch(() => undefined);
  return result;
}

function apply(engine: Engine, changes: HistoryChange[]): void {
  for (const change of changes) {
    if (change.kind === 'record') engine.tables.record(change.tableId, change.file, change.md5);
    else engine.tables.clear(change.tableId);
  }
}

export async function begin(session: Session): Promise<void> {
  if (session.inTransaction) return;
  await session.conn.run('BEGIN TRANSACTION');
  session.inTransaction = true;
  session.transactionAborted = false;
  session.pending = [];
}

export async function commit(engine: Engine, session: Session): Promise<void> {
  if (!session.inTransaction) return;
  const changes = session.pending;
  const aborted = session.transactionAborted;
  session.inTransaction = false;
  session.pending = [];
  if (aborted) {
    await session.conn.run('ROLLBACK').catch(() => undefined);
    throw new SnowflakeError(
      '000603',
      'XX000',
      'The fake rolled this transaction back: a statement in it failed, which aborts a DuckDB transaction ' +
        '(Snowflake would have rolled back only that statement and committed the others).',
    );
  }
  try {
    await session.conn.run('COMMIT');
  } catch (err) {
    await session.conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  apply(engine, changes);
}

export async function rollback(session: Session): Promise<void> {
  if (!session.inTransaction) return;
  session.inTransaction = false;
  session.pending = [];
  await session.conn.run('ROLLBACK');
}

/**
 * Runs one DML statement atomically: inside the session's open transaction (its history changes
 * wait for COMMIT), or in a transaction of its own that commits at once.
 */
export async function inStatementTransaction<T>(
  engine: Engine,
  session: Session,
  work: () => Promise<{ result: T; changes: HistoryChange[] }>,
): Promise<T> {
  if (session.inTransaction) {
    const { result, changes } = await work();
    session.pending.push(...changes);
    return result;
  }
  await session.conn.run('BEGIN TRANSACTION');
  try {
    const { result, changes } = await work();
    await session.conn.run('COMMIT');
    apply(engine, changes);
    return result;
  } catch (err) {
    await session.conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Snowflake commits an open transaction before any DDL statement, which then runs on its own. */
export async function implicitCommit(engine: Engine, session: Session): Promise<void> {
  await commit(engine, session);
}

/** Load history as this session sees it: committed history plus its own uncommitted changes. */
export function loadedMd5(
  engine: Engine,
  session: Session,
  tableId: number,
  file: string,
): string | undefined {
  let md5 = engine.tables.loaded(tableId, file);
  for (const change of session.pending) {
    if (change.tableId !== tableId) continue;
    if (change.kind === 'clear') md5 = undefined;
    else if (change.file === file) md5 = change.md5;
  }
  return md5;
}

/** After a failed statement in an open transaction: notes whether DuckDB aborted the transaction. */
export async function noteFailure(session: Session): Promise<void> {
  if (!session.inTransaction || session.transactionAborted) return;
  try {
    await session.conn.run('SELECT 1');
  } catch {
    session.transactionAborted = true;
  }
}

export async function closeSession(session: Session): Promise<void> {
  await rollback(session).catch(() => undefined);
  session.temporaryStages.clear();
  session.conn.closeSync();
}
