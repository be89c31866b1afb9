import { runCountCheck } from '../services/validation-service.js';
import type { Handler } from './types.js';

export const validate: Handler<'validate'> = async (ctx) => {
  const { spec } = ctx;
  const source = ctx.connectors.source(spec.source.connection);
  await runCountCheck(ctx, {
    sourceRows: () => source.count(spec.source, { signal: ctx.signal }),
    targetConnection: spec.target.connection,
    table: spec.target.table,
    levels: spec.validation.levels,
  });
};
