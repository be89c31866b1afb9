/**
 * Why a JavaScript value cannot be written for its column. Thrown by the value writers and turned
 * by the row encoder into a job error naming the column and the row. The message describes the
 * value's kind or shape, never the value: rows may hold anything.
 */
export class ValueRefusal extends Error {
  constructor(
    message: string,
    /** INTERNAL: the driver handed over something its column cannot hold (a source's mapping is wrong); BAD_SQL: data no target can hold. */
    readonly code: 'INTERNAL' | 'BAD_SQL' = 'INTERNAL',
  ) {
    super(message);
  }
}

/** `a string`, `a number`, `a Date`, `a Buffer`, `an object`…: what a value is, not what it holds. */
export function kindOf(value: unknown): string {
  if (value instanceof Date) return 'a Date';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (value instanceof Uint8Array) return 'a Uint8Array';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

/** The refusal of a value of the wrong kind: `expected a boolean, got a number`. */
export function wrongKind(expected: string, value: unknown): ValueRefusal {
  return new ValueRefusal(`expected ${expected}, got ${kindOf(value)}`);
}
