import type { JobRecord } from '@dxa/queue';
import { TerminalError } from '@dxa/errors';
import { runLoad } from '../services/load-service.js';
import { refuseUnsupportedPairing } from '../extract/plan/pairing.js';
import { committedLoad, priorWork } from '../extract/plan/resume.js';
import type { Handler } from './types.js';

/**
 * The job whose staged files a load reads: a completed extract or migrate, or a failed one that
 * finished staging (its files stay in the stage; the load verifies them against the manifest).
 */
function usableFrom(id: string, from: JobRecord | undefined): JobRecord {
  if (!from)
    throw new TerminalError('INVALID_JOB', `from_job ${id} does not exist (or its record has expired)`);
  const staged = from.state === 'completed' || (from.state === 'failed' && from.steps?.stage !== undefined);
  if (!staged) {
    throw new TerminalError(
      'INVALID_JOB',
      `from_job ${id} is ${from.state}; a load needs a completed extract or migrate job, or a failed one that finished staging its files`,
    );
  }
  return from;
}

export const load: Handler<'load'> = async (ctx) => {
  const { spec } = ctx;
  ctx.step('find-extract');
  const from = usableFrom(spec.from_job, await ctx.getJob(spec.from_job));
  const extracted = from.result?.extract;
  if (!extracted)
    throw new TerminalError(
      'INVALID_JOB',
      `from_job ${spec.from_job} is a ${from.spec.type} job with no staged files`,
    );
  const stageKind = ctx.connectors.stage(extracted.stage.connection).kind;
  refuseUnsupportedPairing(ctx, spec.target.connection, stageKind, extracted.format);
  // A retry after the load committed (a later write failed) must not load the files again.
  const result =
    committedLoad(ctx, await priorWork(ctx)) ??
    (await runLoad(ctx, {
      stageName: extracted.stage.connection,
      manifestPath: extracted.manifest,
      table: spec.target.table,
      mode: spec.target.mode,
      targetConnection: spec.target.connection,
    }));
  await ctx.saveResult({ load: result });
};
