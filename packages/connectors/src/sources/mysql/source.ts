import mysql from 'mysql2/promise';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { MysqlConnection } from './description.js';
import type { SourceRef } from '@dxa/contracts';
import { TerminalError } from '@dxa/errors';
import type { Logger } from '@dxa/logger';
import type { RunContext, SourceConnector, SourceDescription } from '../../core/types.js';
import { OpenStreams } from '../../core/open-streams.js';
import { countSql, describeQuery, describeTable, extractSql } from './catalog.js';
import { poolOptions } from './config.js';
import { wrapMysqlError } from './errors.js';
import { startExtract } from './extract.js';
import { withSnapshot } from './session.js';
import { createMysqlValidationEndpoint, mysqlEndpointLabel } from './validation-endpoint.js';

function label(ref: SourceRef): string {
  return ref.table ?? 'query';
}

/**
 * MySQL / MariaDB source: information_schema describe, streamed SELECTs encoded to interchange CSV
 * in a read-only consistent snapshot, counts with the same filters, and a validation endpoint. No
 * partitions or shared snapshot yet: every extract reads its selection in one piece.
 */
export function createMysqlSource(conn: MysqlConnection, logger: Logger): SourceConnector {
  const options = poolOptions(conn);
  const pool = mysql.createPool(options);
  const log = logger.child({ connector: 'mysql', host: conn.host, database: conn.database });
  const streams = new OpenStreams();
  const wrap = (thrown: unknown, what: string, signal?: AbortSignal) =>
    wrapMysqlError(thrown, { step: 'extract', what, password: conn.password, ...(signal ? { signal } : {}) });

  /** Runs `fn` in a read-only snapshot; aborting kills the statement on the server. */
  async function readOnly<T>(
    what: string,
    ctx: RunContext,
    fn: (c: PoolConnection) => Promise<T>,
  ): Promise<T> {
    try {
      ctx.signal.throwIfAborted();
      return await withSnapshot(pool, options, ctx.signal, fn);
    } catch (thrown) {
      throw wrap(thrown, what, ctx.signal);
    }
  }

  return {
    kind: 'mysql',

    async check(ctx) {
      await readOnly('check connection', ctx, (c) => c.query('SELECT 1'));
    },

    describe(ref, ctx): Promise<SourceDescription> {
      return readOnly(`describe ${label(ref)}`, ctx, (c) =>
        ref.table !== undefined
          ? describeTable(c, { ...ref, table: ref.table })
          : describeQuery(c, ref.query ?? ''),
      );
    },

    async count(ref, ctx) {
      const n = await readOnly(`count ${label(ref)}`, ctx, async (c) => {
        const [rows] = await c.query<RowDataPacket[]>(await countSql(c, ref));
        return rows[0]?.['n'] as string | number | undefined;
      });
      return Number(n ?? 0);
    },

    async extractCsv(ref, columns, ctx, slice) {
      const what = `extract ${label(ref)}`;
      if (slice !== undefined && (slice.bounds.kind !== 'all' || slice.snapshot !== undefined))
        throw new TerminalError(
          'INVALID_JOB',
          `${what}: a MySQL source is read in one piece, not in slices`,
          {
            step: 'extract',
          },
        );
      const stream = await startExtract({
        pool,
        options,
        statement: (c) => extractSql(c, ref, columns),
        signal: ctx.signal,
        logger: log,
        what,
        wrap: (thrown) => wrap(thrown, what, ctx.signal),
        track: streams.track,
      });
      return streams.add(stream);
    },

    validationEndpoint() {
      return createMysqlValidationEndpoint({
        pool,
        options,
        password: conn.password,
        label: mysqlEndpointLabel(conn),
      });
    },

    async close() {
      await streams.close('the MySQL source was closed');
      await pool.end();
    },
  };
}
