import { TerminalError } from '@dxa/errors';
import { runLoad } from '../services/load-service.js';
import { refuseUnsupportedPairing } from '../services/pairing.js';
import type { Handler } from './types.js';

export const load: Handler<'load'> = async (ctx) => {
  const { spec } = ctx;
  ctx.step('find-extract');
  const from = await ctx.getJob(spec.from_job);
  if (!from)
    throw new TerminalError(
      'INVALID_JOB',
      `from_job ${spec.from_job} does not exist (or its record has expired)`,
    );
  if (from.state !== 'completed') {
    throw new TerminalError(
      'INVALID_JOB',
      `from_job ${spec.from_job} is ${from.state}; a load needs a completed extract or migrate job`,
    );
  }
  const extracted = from.result?.extract;
  if (!extracted)
    throw new TerminalError(
      'INVALID_JOB',
      `from_job ${spec.from_job} is a ${from.spec.type} job with no staged files`,
    );
  const stageKind = ctx.connectors.stage(extracted.stage.connection).kind;
  refuseUnsupportedPairing(ctx, spec.target.connection, stageKind, extracted.format);
  const result = await runLoad(ctx, {
    stageName: extracted.stage.connection,
    manifestPath: extracted.manifest,
    table: spec.target.table,
    mode: spec.target.mode,
    targetConnection: spec.target.connection,
  });
  await ctx.saveResult({ load: result });
};
