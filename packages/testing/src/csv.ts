/** Reference CSV parser for tests (character by character, RFC 4180 with `""`): rows of fields, null for an unquoted empty field. */
export function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
      wasQuoted = true;
    } else if (quoted || (c !== ',' && c !== '\n')) {
      field += c;
    } else {
      row.push(field === '' && !wasQuoted ? null : field);
      field = '';
      wasQuoted = false;
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    }
  }
  if (quoted || field !== '' || row.length > 0) throw new Error('CSV does not end at a row boundary');
  return rows;
}

/** Splits CSV text into its raw records without the `\n` (quote-aware: a quoted field may hold newlines). */
export function csvRecords(text: string): string[] {
  const records: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      records.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (start !== text.length) throw new Error('CSV does not end at a record boundary');
  return records;
}

/** Reads a whole (small) stream into a string. */
export async function readAll(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
