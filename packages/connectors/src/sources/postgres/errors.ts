import { CancelledError, TerminalError, TransientError, classifyError, coerceError } from '@dxa/errors';

export type PgErrorContext = {
  step: string;
  /** What was being done, e.g. `extract public.orders`; leads the message. */
  what: string;
  password: string | undefined;
  signal?: AbortSignal;
};

type JobFailure = TerminalError | TransientError | CancelledError;

/**
 * Wraps a node-postgres error once: the SQLSTATE decides terminal vs transient (classifyError),
 * the message names the table or query, and bulky or secret-bearing driver fields are dropped.
 */
export function wrapPgError(thrown: unknown, ctx: PgErrorContext): JobFailure {
  if (thrown instanceof TerminalError || thrown instanceof TransientError || thrown instanceof CancelledError)
    return thrown;
  if (ctx.signal?.aborted) return new CancelledError(`${ctx.what}: cancelled`, { step: ctx.step });
  const err = coerceError(thrown);
  const code = (err as { code?: unknown }).code;
  let detail = err.message.split('\n')[0] ?? '';
  if (ctx.password) detail = detail.replaceAll(ctx.password, '***');
  // Every SQLSTATE has a digit; Node's five-letter codes (EPIPE, EPERM) do not.
  const isSqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && /\d/.test(code);
  const sqlState = isSqlState ? ` (SQLSTATE ${code})` : '';
  const message = `${ctx.what}: ${detail}${sqlState}`;
  const classified = classifyError(err);
  switch (classified.kind) {
    case 'terminal':
      return new TerminalError(classified.code, message, { step: ctx.step });
    case 'cancelled':
      return new CancelledError(message, { step: ctx.step });
    case 'transient':
    case 'hand-back':
      return new TransientError(classified.code, message, { step: ctx.step });
  }
}
