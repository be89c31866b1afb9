export { secret, secretRegistry } from '@dxa/contracts';

export const REDACTED = '***';

/** Keys whose values are masked wherever they appear, whatever the schema says. */
export const SECRET_KEY_PATTERN =
  /pass(word)?|secret|token|key$|authorization|connection_?string|credential/i;
