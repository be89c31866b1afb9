type Path = readonly PropertyKey[];

export type ConfigErrorFields = {
  /** The configuration file the problem is in; undefined when it came from the environment or the command line. */
  file?: string | undefined;
  /** Dotted path of the offending key, e.g. `connections.source.pg_main.port`. */
  key?: string | undefined;
  /** What would have been accepted, e.g. `an integer from 1 to 65535`. */
  expected: string;
  /** TOML syntax errors only. */
  line?: number | undefined;
  /** The environment variable the bad value came from, if any. */
  envVar?: string | undefined;
};

/** A configuration problem; the message names where, which key and what was expected, never a secret value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string | undefined;
  readonly key: string | undefined;
  readonly expected: string;
  readonly line: number | undefined;
  readonly envVar: string | undefined;

  constructor(message: string, fields: ConfigErrorFields) {
    super(message);
    this.file = fields.file;
    this.key = fields.key;
    this.expected = fields.expected;
    this.line = fields.line;
    this.envVar = fields.envVar;
  }
}

/** `connections.source.pg_main.port`; array indexes as `[0]`. */
export function formatKey(path: Path): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out === '' ? String(part) : `${out}.${String(part)}`;
  }, '');
}

/** Optimal string alignment distance: a swapped pair ("prot" / "port") counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i]![j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The closest known key when it is plausibly a typo, else undefined. */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(unknown.toLowerCase(), key.toLowerCase());
    if (distance <= 2 && distance < unknown.length && (best === undefined || distance < best.distance))
      best = { key, distance };
  }
  return best?.key;
}
