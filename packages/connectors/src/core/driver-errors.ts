import {
  CancelledError,
  TerminalError,
  TransientError,
  classifyError,
  coerceError,
  type DriverErrorTable,
} from '@dxa/errors';

export type DriverErrorContext = {
  step: string;
  /** What was being done, e.g. `extract public.orders`; leads the message. */
  what: string;
  password: string | undefined;
  signal?: AbortSignal;
};

export type DriverErrorSpelling = {
  /** What the driver's codes mean (the connector's description declares it). */
  table: DriverErrorTable;
  /** The server's code as the message shows it, e.g. ` (SQLSTATE 42P01)`; empty when it has none. */
  codeSuffix: (err: Error) => string;
};

export type JobFailure = TerminalError | TransientError | CancelledError;

/**
 * Wraps a database driver's error once: classifyError decides terminal vs transient from the
 * driver's table, the message names what was being done plus the server's error code, the password is scrubbed,
 * and bulky or secret-bearing driver fields (sql, stack) are dropped.
 */
export function wrapDriverError(
  thrown: unknown,
  ctx: DriverErrorContext,
  driver: DriverErrorSpelling,
): JobFailure {
  if (thrown instanceof TerminalError || thrown instanceof TransientError || thrown instanceof CancelledError)
    return thrown;
  if (ctx.signal?.aborted) return new CancelledError(`${ctx.what}: cancelled`, { step: ctx.step });
  const err = coerceError(thrown);
  let detail = err.message.split('\n')[0] ?? '';
  if (ctx.password) detail = detail.replaceAll(ctx.password, '***');
  const message = `${ctx.what}: ${detail}${driver.codeSuffix(err)}`;
  const classified = classifyError(err, [driver.table]);
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
