import pg from 'pg';
import type { PoolClient } from 'pg';
import type { PostgresConnection } from './description.js';
import { describeBounds, type SourceRef } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type {
  Column,
  ExtractSlice,
  HeldSnapshot,
  SourceConnector,
  SourceDescription,
} from '../../core/types.js';
import { OpenStreams } from '../../core/open-streams.js';
import { readOnlyRunner } from '../../core/sql-kit/session.js';
import { startStreamedRead } from '../../core/sql-kit/streamed-read.js';
import { asSubquery, describeQuery, describeTable, dialect, resolveTable } from './catalog.js';
import { poolConfig } from './config.js';
import { CopyOutStream } from './copy-out.js';
import { planTablePartitions, singlePlan, slicePredicate } from './partitions.js';
import { BEGIN_EXTRACT, BEGIN_READ_ONLY, pgEngine } from './session.js';
import { exportSnapshot, importSnapshot } from './snapshot.js';
import { createPgValidationEndpoint, pgEndpointLabel } from './validation-endpoint.js';

const CSV_OPTIONS = 'WITH (FORMAT csv, HEADER true)';

function label(ref: SourceRef): string {
  return ref.table ?? 'query';
}

/**
 * The SELECT a table or query source reads (only `bounds` when given), with the table name
 * resolved in this snapshot and the selection rendered by the dialect validation renders it with.
 */
async function selectSql(
  client: PoolClient,
  ref: SourceRef,
  columns: Column[] | undefined,
  bounds?: ExtractSlice['bounds'],
): Promise<string> {
  if (ref.table === undefined) {
    if (bounds !== undefined && bounds.kind !== 'all')
      throw new TerminalError('INVALID_JOB', 'a query source is read in one piece, not in slices', {
        step: 'extract',
      });
    return asSubquery(ref.query ?? '');
  }
  const table = await resolveTable(client, ref.table);
  const slice = bounds === undefined ? undefined : await slicePredicate(client, table, bounds);
  // No columns means all of them (a count, or a caller that did not describe first).
  const listed = columns && columns.length > 0 ? columns.map((c) => c.name) : undefined;
  const selection = { table: table.exact, columns: listed, where: ref.where };
  return `(${dialect.select(selection, { and: [slice] })})`;
}

/**
 * PostgreSQL source: catalog-based describe, `COPY … TO STDOUT (FORMAT csv)` extraction in a
 * read-only REPEATABLE READ snapshot, counts with the same filters.
 */
export function createPostgresSource(conn: PostgresConnection, logger: Logger): SourceConnector {
  const config = poolConfig(conn);
  const pool = new pg.Pool(config);
  const log = logger.child({ connector: 'postgresql', host: conn.host, database: conn.database });
  // Idle clients can fail (server restart); the pool drops them, we only log.
  pool.on('error', (err) => log.warn('idle PostgreSQL connection failed', { error: err.message }));
  const streams = new OpenStreams();
  const snapshots = new Set<HeldSnapshot>();
  let closing: Promise<void> | undefined;
  const engine = pgEngine(pool, config);
  /** Catalog reads, counts and plans: read-only; aborting cancels the statement. */
  const readOnly = readOnlyRunner(engine, {
    begin: (client) => client.query(BEGIN_READ_ONLY),
    step: 'extract',
    password: conn.password,
  });

  return {
    kind: 'postgresql',

    async check(ctx) {
      await readOnly('check connection', ctx.signal, (client) => client.query('SELECT 1'));
    },

    describe(ref, ctx): Promise<SourceDescription> {
      return readOnly(`describe ${label(ref)}`, ctx.signal, (client) =>
        ref.table !== undefined
          ? describeTable(client, { ...ref, table: ref.table })
          : describeQuery(client, ref.query ?? ''),
      );
    },

    async count(ref, ctx) {
      const rows = await readOnly(`count ${label(ref)}`, ctx.signal, async (client) => {
        const from = await selectSql(client, ref, undefined);
        return (await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${from} AS q`)).rows[0]?.n;
      });
      return Number(rows ?? 0);
    },

    planPartitions(ref, partitioning, ctx) {
      const table = ref.table;
      if (table === undefined)
        return Promise.resolve(singlePlan('read in one piece: a query source cannot be split into slices'));
      return readOnly(`plan partitions of ${table}`, ctx.signal, (client) =>
        planTablePartitions(client, { ...ref, table }, partitioning),
      );
    },

    async exportSnapshot(ctx) {
      const held = await exportSnapshot({ config, password: conn.password, logger: log }, ctx);
      snapshots.add(held);
      return {
        id: held.id,
        alive: () => held.alive(),
        release: () => held.release().finally(() => snapshots.delete(held)),
      };
    },

    extractCsv(ref, columns, ctx, slice) {
      const what = `extract ${label(ref)}${slice ? ` (${describeBounds(slice.bounds)})` : ''}`;
      return startStreamedRead({
        engine,
        begin: (client) => client.query(BEGIN_EXTRACT),
        statement: async (client) => {
          // Must come before any query of the transaction (resolving the table is one).
          if (slice?.snapshot !== undefined) await importSnapshot(client, slice.snapshot);
          const select = await selectSql(
            client,
            ref,
            ref.table === undefined ? undefined : columns,
            slice?.bounds,
          );
          return `COPY ${select} TO STDOUT ${CSV_OPTIONS}`;
        },
        // Server and socket errors reach the stream through pg, wrapped once there.
        open: (client, sql, { wrap }) =>
          client.query(new CopyOutStream(sql, { highWaterMark: 1 << 20, wrapError: wrap })),
        signal: ctx.signal,
        logger: log,
        what,
        password: conn.password,
        streams,
      });
    },

    validationEndpoint() {
      return createPgValidationEndpoint({
        pool,
        config,
        password: conn.password,
        label: pgEndpointLabel(conn),
        names: 'sql',
      });
    },

    // Safe to call again: pg's pool refuses a second end().
    close() {
      closing ??= (async () => {
        await streams.close('the PostgreSQL source was closed');
        await Promise.all([...snapshots].map((held) => held.release()));
        await pool.end();
      })();
      return closing;
    },
  };
}
