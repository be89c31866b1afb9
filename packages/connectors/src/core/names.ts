import { TerminalError } from '@dxa/errors';

/** The item named `wanted`: an exact match, else the only case-insensitive one. */
export function findByName<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  wanted: string,
): T | undefined {
  const exact = items.find((item) => nameOf(item) === wanted);
  if (exact) return exact;
  const folded = items.filter((item) => nameOf(item).toLowerCase() === wanted.toLowerCase());
  return folded.length === 1 ? folded[0] : undefined;
}

/**
 * The requested columns in the requested order (all of them when none are named), each found by
 * findByName; names that match nothing fail with SOURCE_NOT_FOUND naming them.
 */
export function selectColumns<T extends { name: string }>(
  all: T[],
  wanted: readonly string[] | undefined,
  table: string,
): T[] {
  if (!wanted || wanted.length === 0) return all;
  const missing: string[] = [];
  const picked = wanted.flatMap((name) => {
    const match = findByName(all, (c) => c.name, name);
    if (!match) missing.push(name);
    return match ? [match] : [];
  });
  if (missing.length > 0)
    throw new TerminalError('SOURCE_NOT_FOUND', `table ${table} has no column ${missing.join(', ')}`, {
      step: 'extract',
    });
  return picked;
}
