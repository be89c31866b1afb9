/** Values shorter than this are not scanned for: masking every "1" or "ab" would garble logs and hide nothing. */
const MIN_SECRET_LENGTH = 4;

const registered = new Set<string>();
/** Longest first, so a secret containing another is masked whole. */
let ordered: string[] = [];

/** Adds values (passwords, keys, tokens) to mask wherever they appear in log text and error messages. */
export function registerSecrets(values: readonly string[]): void {
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    registered.add(value);
    // Passwords inside URLs are percent-encoded.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) registered.add(encoded);
  }
  ordered = [...registered].sort((a, b) => b.length - a.length);
}

const MASK = '***';
/** `scheme://user:pass@` → `scheme://user:***@`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]*):([^\s@/]+)@/gi;
/** `Password=…;` `AccountKey=…;` `SharedAccessSignature=…;` (a SAS token contains `&`, so up to `;`). */
const CONNECTION_STRING_FIELDS =
  /\b(Password|Pwd|AccountKey|SharedAccessSignature)=("[^"]*"|'[^']*'|\{[^}]*\}|[^;\s"']*)/gi;
/** The signature of a SAS URL or token: `sig=…` up to the next parameter. */
const SAS_SIGNATURE = /\b(sig)=([^&;\s"']*)/gi;

/** Masks registered secrets, URL credentials and connection-string secrets in free text. */
export function maskSecretsInText(text: string): string {
  let out = text;
  for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(MASK);
  return out
    .replace(URL_CREDENTIALS, `$1$2:${MASK}@`)
    .replace(CONNECTION_STRING_FIELDS, `$1=${MASK}`)
    .replace(SAS_SIGNATURE, `$1=${MASK}`);
}
