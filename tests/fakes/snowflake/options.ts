import { compilationError, unsupported } from './errors.js';
import { isPunct, type Token } from './sql-text.js';

/** A value in `KEY = value` option lists (COPY, FILE_FORMAT, CREATE STAGE, PUT). */
export type OptionValue =
  | { kind: 'word' | 'string' | 'number' | 'qident'; value: string }
  | { kind: 'list'; items: OptionValue[] }
  | { kind: 'options'; options: Options };

export type Options = Map<string, OptionValue>;

function parseValue(tokens: Token[], i: number): { value: OptionValue; next: number } {
  const token = tokens[i];
  if (token === undefined) throw compilationError('syntax error: unexpected end of statement');
  if (isPunct(token, '(')) {
    const looksLikeOptions = tokens[i + 1]?.kind === 'word' && isPunct(tokens[i + 2], '=');
    if (looksLikeOptions) {
      const { options, next } = parseOptions(tokens, i + 1, ')');
      return { value: { kind: 'options', options }, next: next + 1 };
    }
    const items: OptionValue[] = [];
    let j = i + 1;
    while (!isPunct(tokens[j], ')')) {
      const item = parseValue(tokens, j);
      items.push(item.value);
      j = item.next;
      if (isPunct(tokens[j], ',')) j++;
      else if (!isPunct(tokens[j], ')'))
        throw compilationError(`syntax error: unexpected '${tokens[j]?.text ?? ''}'`);
    }
    return { value: { kind: 'list', items }, next: j + 1 };
  }
  if (token.kind === 'word' || token.kind === 'string' || token.kind === 'number' || token.kind === 'qident')
    return { value: { kind: token.kind, value: token.value }, next: i + 1 };
  throw compilationError(`syntax error: unexpected '${token.text}'`);
}

/** Parses `KEY = value …` (commas between entries allowed) until `stop` or the end. */
export function parseOptions(
  tokens: Token[],
  start: number,
  stop?: string,
): { options: Options; next: number } {
  const options: Options = new Map();
  let i = start;
  while (i < tokens.length && !(stop !== undefined && isPunct(tokens[i], stop))) {
    if (isPunct(tokens[i], ',')) {
      i++;
      continue;
    }
    const key = tokens[i]!;
    if (key.kind !== 'word' || !isPunct(tokens[i + 1], '='))
      throw compilationError(`syntax error: unexpected '${key.text}'`);
    const { value, next } = parseValue(tokens, i + 2);
    options.set(key.value.toUpperCase(), value);
    i = next;
  }
  return { options, next: i };
}

/** Refuses options the contract does not list, so the fake never silently ignores one. */
export function onlyKnown(options: Options, known: string[], where: string): void {
  for (const key of options.keys()) if (!known.includes(key)) throw unsupported(`${where} option ${key}`);
}

export function scalar(options: Options, key: string): string | undefined {
  const value = options.get(key);
  if (value === undefined) return undefined;
  if (value.kind === 'list' || value.kind === 'options') throw compilationError(`invalid value for ${key}`);
  return value.value;
}

export function booleanOption(options: Options, key: string, fallback: boolean): boolean {
  const value = scalar(options, key);
  if (value === undefined) return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw compilationError(`invalid value [${value}] for parameter '${key}'`);
}

export function stringList(options: Options, key: string): string[] | undefined {
  const value = options.get(key);
  if (value === undefined) return undefined;
  if (value.kind !== 'list' || value.items.some((item) => item.kind !== 'string'))
    throw compilationError(`invalid value for ${key}: expected a list of string literals`);
  return value.items.map((item) => (item as { value: string }).value);
}

export function nestedOptions(options: Options, key: string): Options | undefined {
  const value = options.get(key);
  if (value === undefined) return undefined;
  if (value.kind === 'list' && value.items.length === 0) return new Map();
  if (value.kind !== 'options') throw compilationError(`invalid value for ${key}`);
  return value.options;
}
