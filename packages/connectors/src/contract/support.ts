// Test support shared by the contract suites (never imported by product code).
import { expect } from 'vitest';
import type { LogicalType } from '@dxa/contracts';
import type { RunContext } from '../core/types.js';

export const ctx = (): RunContext => ({ signal: new AbortController().signal });

/** A value a driver handed back as text for comparisons; NULL stays null. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome, 'expected a rejection').toBeInstanceOf(Error);
  return outcome as Error;
}

/** Asserts that none of `secrets` shows in the error's message or in any field it serialises. */
export function expectNoSecret(error: unknown, secrets: readonly string[]): void {
  const seen = JSON.stringify({ message: (error as Error | undefined)?.message, error });
  for (const secret of secrets) expect(seen).not.toContain(secret);
}

/** The error a stream ends with, or undefined when it ends cleanly. */
export function streamOutcome(stream: NodeJS.ReadableStream): Promise<unknown> {
  return new Promise((resolve) => {
    stream.once('error', resolve);
    stream.once('end', () => resolve(undefined));
  });
}

/** What the contracts compare of a described column (a source's Column or a ValidationColumn). */
export type ColumnShape = {
  name: string;
  type: LogicalType;
  nullable: boolean;
  precision?: number;
  scale?: number;
};

export const columnShape = ({ name, type, nullable, precision, scale }: ColumnShape): ColumnShape => ({
  name,
  type,
  nullable,
  precision,
  scale,
});
