import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { compilationError, SnowflakeError, unsupported } from './errors.js';
import { booleanOption, onlyKnown, parseOptions, scalar } from './options.js';
import { column, literalRows, type StatementResult } from './results.js';
import type { Token } from './sql-text.js';
import { localPath, type ResolvedStage } from './stage-paths.js';
import { storeFor } from './stage-store.js';
import { fileDisplayName, resolveStage, stageRefFrom } from './stages.js';
import type { StatementContext } from './state.js';

function localFileFrom(token: Token | undefined): string {
  const text = token?.kind === 'string' ? token.value : token?.kind === 'fileuri' ? token.text : undefined;
  if (text === undefined || !/^file:\/\//i.test(text))
    throw compilationError(
      `syntax error: unexpected '${token?.text ?? 'end of statement'}', expected 'file://…'`,
    );
  return text.slice('file://'.length);
}

function internalFolder(stage: ResolvedStage): string {
  if (stage.definition.kind !== 'internal')
    throw new SnowflakeError(
      '091003',
      '0A000',
      'GET and PUT commands are not supported with external stage.',
    );
  return stage.definition.folder;
}

const PUT_OPTIONS = ['AUTO_COMPRESS', 'OVERWRITE', 'PARALLEL', 'SOURCE_COMPRESSION'];

/**
 * `PUT 'file://…' @stage/path/ …`: answers with a LOCAL_FS stage, so the SDK copies the file into
 * the stage folder itself (no encryption, no cloud upload).
 */
export async function put(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  const source = localFileFrom(tokens[1]);
  const ref = stageRefFrom(tokens[2]);
  const { options, next } = parseOptions(tokens, 3);
  if (next !== tokens.length)
    throw compilationError(`syntax error: unexpected '${tokens[next]?.text ?? ''}'`);
  onlyKnown(options, PUT_OPTIONS, 'PUT');
  const stage = await resolveStage(ctx, ref);
  const folder = internalFolder(stage);
  const autoCompress = booleanOption(options, 'AUTO_COMPRESS', true);
  const overwrite = booleanOption(options, 'OVERWRITE', false);
  let location = localPath(folder, ref.path);
  const name = path.basename(source);
  const candidates = [name, `${name}.gz`].map((n) => path.join(location, n));
  if (!overwrite && !name.includes('*') && candidates.some((f) => existsSync(f))) {
    // Snowflake skips a file that is already staged; LOCAL_FS always copies, so aim it elsewhere.
    const discard = path.join(ctx.state.options.dataDir, 'discarded-puts');
    await mkdir(discard, { recursive: true });
    location = await mkdtemp(path.join(discard, 'put-'));
  }
  return {
    kind: 'file-transfer',
    data: {
      command: 'UPLOAD',
      src_locations: [source],
      parallel: Number(scalar(options, 'PARALLEL') ?? 4),
      autoCompress,
      sourceCompression: (scalar(options, 'SOURCE_COMPRESSION') ?? 'auto_detect').toLowerCase(),
      overwrite,
      stageInfo: {
        locationType: 'LOCAL_FS',
        location: `${location}${path.sep}`,
        path: ref.path,
        region: null,
        storageAccount: null,
        isClientSideEncrypted: false,
        creds: {},
      },
      encryptionMaterial: null,
      presignedUrls: [],
    },
  };
}

/** `GET @stage/prefix 'file:///dir/'`: every file under the prefix, copied by the SDK from LOCAL_FS. */
export async function get(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  const ref = stageRefFrom(tokens[1]);
  const target = localFileFrom(tokens[2]);
  const { options, next } = parseOptions(tokens, 3);
  if (next !== tokens.length)
    throw compilationError(`syntax error: unexpected '${tokens[next]?.text ?? ''}'`);
  onlyKnown(options, ['PARALLEL'], 'GET');
  const stage = await resolveStage(ctx, ref);
  const folder = internalFolder(stage);
  const files = await storeFor(stage.definition, ctx.state.options).list(ref.path);
  return {
    kind: 'file-transfer',
    data: {
      command: 'DOWNLOAD',
      src_locations: files.map((f) => f.rel),
      localLocation: target,
      parallel: Number(scalar(options, 'PARALLEL') ?? 10),
      stageInfo: {
        locationType: 'LOCAL_FS',
        location: `${folder}${path.sep}`,
        path: '',
        region: null,
        storageAccount: null,
        isClientSideEncrypted: false,
        creds: {},
      },
      encryptionMaterial: null,
      presignedUrls: [],
    },
  };
}

const LIST_COLUMNS = [
  column('name', 'text', { nullable: false }),
  column('size', 'fixed', { nullable: false }),
  column('md5', 'text'),
  column('last_modified', 'text', { nullable: false }),
];

/** `LIST @stage/prefix`: name, size, md5, last_modified (string prefix match, as in Snowflake). */
export async function list(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  if (tokens.length > 2) throw unsupported(`LIST option ${tokens[2]!.text}`);
  const ref = stageRefFrom(tokens[1]);
  const stage = await resolveStage(ctx, ref);
  const files = await storeFor(stage.definition, ctx.state.options).list(ref.path);
  return literalRows(
    LIST_COLUMNS,
    files.map((f) => [fileDisplayName(stage, f.rel), f.size, f.md5, f.lastModified.toUTCString()]),
  );
}

/** `REMOVE @stage/prefix`: deletes every file under the prefix; one row per file. */
export async function remove(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  if (tokens.length > 2) throw unsupported(`REMOVE option ${tokens[2]!.text}`);
  const ref = stageRefFrom(tokens[1]);
  const stage = await resolveStage(ctx, ref);
  const store = storeFor(stage.definition, ctx.state.options);
  const files = await store.list(ref.path);
  for (const f of files) await store.remove(f.rel);
  return literalRows(
    [column('name', 'text', { nullable: false }), column('result', 'text', { nullable: false })],
    files.map((f) => [fileDisplayName(stage, f.rel), 'removed']),
  );
}
