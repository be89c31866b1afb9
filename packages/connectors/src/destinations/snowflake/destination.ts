import type { Logger } from '@dxa/logger';
import type { DestinationConnector, LoadRequest, RunContext } from '../../core/types.js';
import type { FileLookupEnv } from '../../snowflake/connection-files.js';
import { parseTableName, qualified } from '../../snowflake/names.js';
import { resolveConnection, type SnowflakeTargetConfig } from '../../snowflake/options.js';
import { holdSession, type SnowflakeSession } from '../../snowflake/session.js';
import { prepareCopySource } from './copy-source.js';
import { runLoad, type LoadPlan } from './load.js';
import { countRows, tableExistsIn } from './tables.js';
import { createSnowflakeValidationEndpoint } from './validation-endpoint.js';

function planLoad(request: LoadRequest): LoadPlan {
  return {
    target: parseTableName(request.table),
    mode: request.mode,
    columns: request.columns,
    format: request.format,
    expectedRows: request.files.reduce((sum, f) => sum + f.rows, 0),
    jobId: request.jobId,
  };
}

/**
 * Snowflake target: DDL from the engine-neutral column types, then COPY INTO from the stage the
 * files are in (a Snowflake stage in place, a cloud stage through a temporary external stage,
 * anything else after PUT into the user stage). Each mode is all-or-nothing (see load.ts).
 */
export function createSnowflakeDestination(
  conn: SnowflakeTargetConfig,
  logger: Logger,
  lookup: FileLookupEnv = { env: process.env },
): DestinationConnector {
  const resolved = resolveConnection(conn, lookup);
  const log = logger.child({ connector: 'snowflake', account: resolved.account });
  const holder = holdSession(resolved, log);
  const withSession = async <T>(ctx: RunContext, fn: (s: SnowflakeSession) => Promise<T>): Promise<T> =>
    fn(await holder.get(ctx));

  return {
    kind: 'snowflake',

    async check(ctx) {
      await withSession(ctx, (s) =>
        s.execute('SELECT CURRENT_VERSION()', ctx, { what: 'check the connection' }),
      );
    },

    // async: a bad name rejects the promise rather than throwing at the call.
    async tableExists(table, ctx) {
      const name = parseTableName(table);
      return withSession(ctx, (s) => tableExistsIn(s, name, ctx));
    },

    async count(table, ctx) {
      const name = parseTableName(table);
      return withSession(ctx, (s) => countRows(s, name, ctx));
    },

    async load(request, stage, ctx) {
      const plan = planLoad(request);
      log.info('snowflake load starting', {
        table: qualified(plan.target),
        mode: request.mode,
        format: request.format,
        files: request.files.length,
      });
      const rows = await withSession(ctx, async (session) => {
        await session.tagJob(request.jobId, ctx);
        const source = await prepareCopySource(
          { session, stage, ctx, identity: resolved.identity, log },
          request.files,
          request.jobId,
        );
        try {
          return await runLoad({ session, source, ctx, log }, plan);
        } finally {
          await source.cleanup();
        }
      });
      log.info('snowflake load committed', { table: qualified(plan.target), mode: request.mode, rows });
      return { rows };
    },

    validationEndpoint: () => createSnowflakeValidationEndpoint(holder, resolved.label),

    close: () => holder.close(),
  };
}
