import { TerminalError } from '@dxa/errors';
import { discardStagedOnCancel } from '../services/cancel-cleanup.js';
import { runExtract } from '../services/extract-service.js';
import { runLoad } from '../services/load-service.js';
import { refuseUnsupportedPairing } from '../services/pairing.js';
import { stagePrefixFor } from '../services/stage-paths.js';
import { runCountCheck } from '../services/validation-service.js';
import { extractPlanOf } from './extract.js';
import type { Handler, JobContext } from './types.js';

/** Mode "create" must not touch an existing table: fail before spending time on the extract. */
async function refuseExistingTarget(ctx: JobContext<'migrate'>): Promise<void> {
  const { target } = ctx.spec;
  if (target.mode !== 'create') return;
  ctx.step('check-target');
  const exists = await ctx.connectors
    .destination(target.connection)
    .tableExists(target.table, { signal: ctx.signal });
  if (exists) {
    throw new TerminalError(
      'TARGET_EXISTS',
      `target table ${target.table} already exists and mode is "create"; use "replace", "append" or "truncate"`,
      {
        step: 'check-target',
      },
    );
  }
}

export const migrate: Handler<'migrate'> = async (ctx) => {
  const { spec } = ctx;
  const plan = extractPlanOf(ctx);
  const stage = ctx.connectors.stage(plan.stageName);
  refuseUnsupportedPairing(ctx, spec.target.connection, stage.kind, plan.format);
  await refuseExistingTarget(ctx);
  await discardStagedOnCancel(ctx, stage, stagePrefixFor(plan.stagePath, ctx.jobId), async () => {
    const extracted = await runExtract(ctx, plan);
    await ctx.saveResult({ extract: extracted });
    const loaded = await runLoad(ctx, {
      stageName: plan.stageName,
      manifestPath: extracted.manifest,
      table: spec.target.table,
      mode: spec.target.mode,
      targetConnection: spec.target.connection,
    });
    await ctx.saveResult({ load: loaded });
    await runCountCheck(ctx, {
      sourceRows: () => Promise.resolve(extracted.rows),
      targetConnection: spec.target.connection,
      table: spec.target.table,
      levels: spec.validation?.levels ?? ['count'],
    });
  });
};
