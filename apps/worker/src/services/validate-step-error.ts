import { TerminalError, TransientError } from '@dxa/errors';

/**
 * A failure inside the validate step, as the job reports it: with the validate step's name, and
 * with VALIDATION_ERROR (validation could not run) where a connector used the load step's code,
 * since the load has committed by then and its code would send the user to the wrong step.
 * Retry classification (terminal or transient) and every other code are kept.
 */
export function asValidateStepError(thrown: unknown): unknown {
  if (!(thrown instanceof TerminalError || thrown instanceof TransientError)) return thrown;
  if (thrown.step === 'validate' && thrown.code !== 'LOAD_ERROR') return thrown;
  const code = thrown.code === 'LOAD_ERROR' ? 'VALIDATION_ERROR' : thrown.code;
  const Kind = thrown instanceof TerminalError ? TerminalError : TransientError;
  return new Kind(code, thrown.message, { step: 'validate', cause: thrown });
}
