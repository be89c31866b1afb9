/**
 * Lexical guard for user queries: exactly one SELECT or WITH statement, no data-modifying keyword
 * outside string literals, quoted identifiers and comments. Sources also run queries inside a
 * read-only transaction, so this guard is the clear error message, not the only protection.
 */
const FORBIDDEN = new Set([
  'insert',
  'update',
  'delete',
  'merge',
  'truncate',
  'drop',
  'alter',
  'create',
  'grant',
  'revoke',
  'copy',
  'call',
  'execute',
  'exec',
  'into',
  'vacuum',
  'reindex',
]);

export type ReadOnlyCheck = { ok: true } | { ok: false; reason: string };

/** Replaces literals, quoted identifiers and comments by spaces, keeping statement structure. */
function stripLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      out += ' ';
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) return out + ' /*UNTERMINATED';
      i = end + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) return out + ' /*UNTERMINATED';
        if (sql[j] === close) {
          if (sql[j + 1] === close && close !== ']') j += 2;
          else break;
        } else j += 1;
      }
      out += c === "'" ? " '' " : ' ident ';
      i = j + 1;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        if (end === -1) return out + ' /*UNTERMINATED';
        out += " '' ";
        i = end + tag[0].length;
      } else {
        out += c;
        i += 1;
      }
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

export function checkReadOnlyQuery(sql: string): ReadOnlyCheck {
  const stripped = stripLiterals(sql);
  if (stripped.includes('/*UNTERMINATED'))
    return { ok: false, reason: 'has an unterminated string, identifier or comment' };
  const statements = stripped.split(';').filter((s) => s.trim().length > 0);
  if (statements.length === 0) return { ok: false, reason: 'is empty' };
  if (statements.length > 1) return { ok: false, reason: 'must be a single statement (found more than one)' };
  const words = statements[0]!.toLowerCase().match(/[a-z_][a-z0-9_$]*/g) ?? [];
  const first = words[0];
  if (first !== 'select' && first !== 'with') {
    return {
      ok: false,
      reason: `must start with SELECT or WITH (found ${first?.toUpperCase() ?? 'nothing'})`,
    };
  }
  const bad = words.find((w) => FORBIDDEN.has(w));
  if (bad) return { ok: false, reason: `must be read-only (found ${bad.toUpperCase()})` };
  for (let k = 0; k + 1 < words.length; k++) {
    if (words[k] === 'for' && ['update', 'share', 'no'].includes(words[k + 1]!)) {
      return { ok: false, reason: 'must not lock rows (FOR UPDATE/SHARE)' };
    }
  }
  return { ok: true };
}
