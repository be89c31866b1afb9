import pg from 'pg';
import type { ClientBase, PoolConfig } from 'pg';
import { TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { HeldSnapshot, RunContext } from '../../core/types.js';
import { wrapPgError } from './errors.js';

/** What pg_export_snapshot returns (e.g. `00000003-0000001B-1`); checked because SET TRANSACTION SNAPSHOT takes no parameters. */
const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i;

const EXPORT_SQL = [
  'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  // The exporting session sits idle in its transaction for the whole extract, by design.
  'SET LOCAL idle_in_transaction_session_timeout = 0',
].join('; ');

function checkedId(id: string): string {
  if (!SNAPSHOT_ID.test(id))
    throw new TerminalError('INVALID_JOB', 'the snapshot to read through is not a PostgreSQL snapshot id', {
      step: 'extract',
    });
  return id;
}

function snapshotLost(): TerminalError {
  return new TerminalError(
    'SNAPSHOT_LOST',
    'the shared snapshot of this extract is gone: the session coordinating the partitions ended, so the slices can no longer be read consistently',
    { step: 'extract' },
  );
}

/**
 * Makes the current transaction (just begun, REPEATABLE READ, no query run yet) read through an
 * exported snapshot. A snapshot whose exporting transaction ended fails with SNAPSHOT_LOST.
 */
export async function importSnapshot(client: ClientBase, id: string): Promise<void> {
  try {
    await client.query(`SET TRANSACTION SNAPSHOT '${checkedId(id)}'`);
  } catch (thrown) {
    const err = thrown as { code?: unknown; message?: unknown };
    if (err.code === '22023' && /invalid snapshot identifier/i.test(String(err.message)))
      throw snapshotLost();
    throw thrown;
  }
}

export type ExportOptions = { config: PoolConfig; password: string | undefined; logger: Logger };

/**
 * Opens a dedicated session (not a pooled one: it must outlive every slice and never be handed to
 * another caller), starts a read-only snapshot there and exports it. The snapshot lives until
 * `release` ends that session, or the session dies.
 */
export async function exportSnapshot(opts: ExportOptions, ctx: RunContext): Promise<HeldSnapshot> {
  ctx.signal.throwIfAborted();
  const client = new pg.Client({ ...opts.config });
  let alive = true;
  client.on('error', (err) => {
    if (alive)
      opts.logger.warn('the PostgreSQL session holding an exported snapshot failed', { error: err.message });
    alive = false;
  });
  client.on('end', () => {
    alive = false;
  });
  const onAbort = () => void client.end().catch(() => undefined);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let id: string;
  try {
    await client.connect();
    await client.query(EXPORT_SQL);
    const { rows } = await client.query<{ id: string }>('SELECT pg_catalog.pg_export_snapshot() AS id');
    id = checkedId(rows[0]?.id ?? '');
    ctx.signal.throwIfAborted();
  } catch (thrown) {
    await client.end().catch(() => undefined);
    throw wrapPgError(thrown, {
      step: 'extract',
      what: 'export a snapshot',
      password: opts.password,
      signal: ctx.signal,
    });
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
  let released: Promise<void> | undefined;
  return {
    id,
    alive: () => alive,
    release() {
      released ??= (async () => {
        if (alive) await client.query('COMMIT').catch(() => undefined);
        alive = false;
        await client.end().catch(() => undefined);
      })();
      return released;
    },
  };
}
