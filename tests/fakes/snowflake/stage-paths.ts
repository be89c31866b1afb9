import path from 'node:path';
import { compilationError } from './errors.js';

export type S3Location = {
  kind: 's3';
  url: string;
  bucket: string;
  prefix: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
};

export type AzureLocation = {
  kind: 'azure';
  url: string;
  account: string;
  container: string;
  prefix: string;
  auth: { sasToken: string } | { accountName: string; accountKey: string };
};

export type InternalLocation = { kind: 'internal'; folder: string };

export type StageDefinition = InternalLocation | S3Location | AzureLocation;

/** A stage as a statement refers to it, resolved to where its files are. */
export type ResolvedStage = {
  definition: StageDefinition;
  /** Identity for load history: the same file of the same stage is the same history entry. */
  id: string;
  /** How LIST / COPY results name files: `<label>/<relative path>` (no label for user and table stages). */
  label: string;
};

export type StageRef =
  | { kind: 'user'; path: string }
  | { kind: 'table'; parts: string[]; path: string }
  | { kind: 'named'; parts: string[]; path: string };

/** Parses the text after `@`: `~/p`, `%"T"/p`, `"DB"."S".%"T"/p`, `"NAME"/p`, `DB.S.NAME/p`. */
export function parseStageRef(text: string): StageRef {
  let i = text.startsWith('@') ? 1 : 0;
  const restPath = (from: number): string => {
    if (from >= text.length) return '';
    if (text[from] !== '/') throw compilationError(`invalid stage location '${text}'`);
    return normalizeStagePath(text.slice(from + 1));
  };
  if (text[i] === '~') return { kind: 'user', path: restPath(i + 1) };
  const parts: string[] = [];
  let table = false;
  for (;;) {
    if (text[i] === '%') {
      table = true;
      i++;
    }
    if (text[i] === '"') {
      let value = '';
      i++;
      while (i < text.length && !(text[i] === '"' && text[i + 1] !== '"')) {
        value += text[i] === '"' ? '"' : text[i];
        i += text[i] === '"' ? 2 : 1;
      }
      if (i >= text.length) throw compilationError(`invalid stage location '${text}'`);
      i++;
      parts.push(value);
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i));
      if (!m) throw compilationError(`invalid stage location '${text}'`);
      parts.push(m[0].toUpperCase());
      i += m[0].length;
    }
    if (table || text[i] !== '.') break;
    i++;
  }
  if (parts.length > 3) throw compilationError(`invalid stage location '${text}'`);
  return { kind: table ? 'table' : 'named', parts, path: restPath(i) };
}

/** Stage paths are case-sensitive; leading and repeated slashes do not count, `..` is refused. */
export function normalizeStagePath(p: string): string {
  const segments = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw compilationError(`invalid stage path '${p}'`);
  return segments.join('/') + (p.endsWith('/') && segments.length > 0 ? '/' : '');
}

/** The local folder of an internal stage path, refusing anything outside the stage. */
export function localPath(folder: string, rel: string): string {
  const full = path.resolve(folder, rel);
  if (full !== path.resolve(folder) && !full.startsWith(path.resolve(folder) + path.sep))
    throw compilationError(`invalid stage path '${rel}'`);
  return full;
}

/** `s3://bucket/prefix/` → bucket and prefix. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!m) throw compilationError(`invalid URL '${url}'`);
  return { bucket: m[1]!, prefix: m[2]! };
}

/** `azure://account.blob.core.windows.net/container/prefix/` → account, container, prefix. */
export function parseAzureUrl(url: string): { account: string; container: string; prefix: string } {
  const m = /^azure:\/\/([^./]+)\.blob\.core\.windows\.net\/([^/]+)\/?(.*)$/i.exec(url);
  if (!m) throw compilationError(`invalid URL '${url}'`);
  return { account: m[1]!, container: m[2]!, prefix: m[3]! };
}

/** Joins a location's prefix and a relative path into an object key. */
export function joinKey(prefix: string, rel: string): string {
  if (prefix === '' || rel === '') return prefix + rel;
  return prefix.endsWith('/') ? prefix + rel : `${prefix}/${rel}`;
}
