import { runValidationStep } from '../services/validation-service.js';
import { localReportDir } from '../services/validation-reports.js';
import type { Handler } from './types.js';

export const validate: Handler<'validate'> = async (ctx) => {
  const { spec } = ctx;
  await runValidationStep(ctx, {
    source: spec.source,
    target: spec.target,
    validation: spec.validation,
    // No stage: the reports stay on the worker, under its work dir.
    reports: { localDir: localReportDir(ctx.config.application.work_dir, ctx.jobId) },
  });
};
