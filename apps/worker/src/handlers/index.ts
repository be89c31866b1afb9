import type { JobSpec } from '@dxa/contracts';
import { extract } from './extract.js';
import { load } from './load.js';
import { migrate } from './migrate.js';
import type { HandlerMap, ServiceContext } from './types.js';
import { validate } from './validate.js';

/** One handler per catalog entry; a job type without a handler fails to compile. */
export const handlers: HandlerMap = { extract, load, migrate, validate };

/** Calls the handler of the spec's type with the spec narrowed to it. */
export function runHandler(spec: JobSpec, ctx: ServiceContext): Promise<void> {
  switch (spec.type) {
    case 'extract':
      return handlers.extract({ ...ctx, spec });
    case 'load':
      return handlers.load({ ...ctx, spec });
    case 'migrate':
      return handlers.migrate({ ...ctx, spec });
    case 'validate':
      return handlers.validate({ ...ctx, spec });
  }
}

export type { Handler, HandlerMap, JobContext, ServiceContext } from './types.js';
