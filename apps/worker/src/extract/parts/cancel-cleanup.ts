import type { StageConnector } from '@dxa/connectors';
import { CancelledError, coerceError } from '@dxa/errors';
import type { ServiceContext } from '../../handlers/types.js';

const CLEANUP_TIMEOUT_MS = 30_000;

/**
 * Runs `fn`; when the job is cancelled, removes what it staged so a cancelled job leaves neither
 * part files nor a manifest behind. A hand-back keeps them: the next attempt cleans up first anyway.
 */
export async function discardStagedOnCancel<T>(
  ctx: ServiceContext,
  stage: StageConnector,
  prefix: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (ctx.signal.aborted && ctx.signal.reason instanceof CancelledError) {
      // The job's own signal has fired, so the cleanup gets a signal of its own.
      await stage
        .remove(prefix, { signal: AbortSignal.timeout(CLEANUP_TIMEOUT_MS) })
        .catch((cleanupErr: unknown) => {
          ctx.logger.warn('removing staged files of a cancelled job failed', {
            prefix,
            error: coerceError(cleanupErr).message,
          });
        });
    }
    throw err;
  }
}
