import { Readable } from 'node:stream';
import { CancelledError, coerceError } from '@dxa/errors';

/** `connection "pg_erp" (postgresql)`: how every error caused by a connection names it. */
export function connectionLabel(name: string, kind: string): string {
  return `connection "${name}" (${kind})`;
}

/**
 * Puts the connection's label in front of an error's message, once. The error keeps its class,
 * code and step (classification and retries are unchanged); cancellations are left as they are.
 */
export function nameError(thrown: unknown, label: string): unknown {
  if (thrown instanceof CancelledError) return thrown;
  const err = coerceError(thrown);
  if (err.name === 'AbortError' || err.message.includes(label)) return err;
  try {
    err.message = `${label}: ${err.message}`;
    return err;
  } catch {
    // A frozen error (rare): keep it, the worker still names the step.
    return err;
  }
}

function nameStreamErrors(stream: Readable, label: string): Readable {
  // Registered before the caller's own listeners, so they see the named error.
  stream.prependListener('error', (err) => void nameError(err, label));
  return stream;
}

function follow(value: unknown, label: string, method: PropertyKey): unknown {
  if (value instanceof Readable) return nameStreamErrors(value, label);
  if (value instanceof Promise)
    return value.then(
      (resolved: unknown) => follow(resolved, label, method),
      (err: unknown) => {
        throw nameError(err, label);
      },
    );
  // A source's or target's validation endpoint fails for the same connection.
  if (method === 'validationEndpoint' && typeof value === 'object' && value !== null)
    return withNamedErrors(value, label);
  return value;
}

/**
 * The connector (or validation endpoint) with every method's errors, rejections and stream errors
 * naming the connection, so a job's error, the logs and `dxa test-connections` say which of many
 * connections failed. The connector itself is not changed.
 */
export function withNamedErrors<T extends object>(connector: T, label: string): T {
  return new Proxy(connector, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        try {
          return follow(Reflect.apply(value, target, args), label, property);
        } catch (err) {
          throw nameError(err, label);
        }
      };
    },
  });
}
