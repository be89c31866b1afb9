import path from 'node:path';
import { compilationError, objectExists, objectMissing, unsupported } from './errors.js';
import { displayName, readQualifiedName, tableName } from './names.js';
import { nestedOptions, onlyKnown, parseOptions, scalar, type Options } from './options.js';
import { statusResult, type StatementResult } from './results.js';
import { implicitCommit } from './session.js';
import { isWord, type Token } from './sql-text.js';
import {
  joinKey,
  parseAzureUrl,
  parseS3Url,
  parseStageRef,
  type ResolvedStage,
  type StageDefinition,
  type StageRef,
} from './stage-paths.js';
import type { StatementContext } from './state.js';

const enc = encodeURIComponent;

function stageKey(parts: string[], ctx: StatementContext): { key: string; name: string } {
  const { db, schema, table } = tableName(parts, ctx.session);
  return { key: `${db}.${schema}.${table}`, name: table };
}

/** Where a `@…` reference points: user stage, table stage, or a named (temporary first) stage. */
export async function resolveStage(ctx: StatementContext, ref: StageRef): Promise<ResolvedStage> {
  const root = ctx.state.options.stageRoot;
  switch (ref.kind) {
    case 'user':
      return {
        definition: { kind: 'internal', folder: path.join(root, 'users', enc(ctx.session.user)) },
        id: `@~${ctx.session.user}`,
        label: '',
      };
    case 'table': {
      const name = tableName(ref.parts, ctx.session);
      if (!(await ctx.state.engine.tableExists(ctx.session.conn, name)))
        throw objectMissing('Table', displayName(name));
      const key = displayName(name).toLowerCase();
      return {
        definition: { kind: 'internal', folder: path.join(root, 'tables', enc(key)) },
        id: `@%${key}`,
        label: '',
      };
    }
    case 'named': {
      const { key, name } = stageKey(ref.parts, ctx);
      const definition = ctx.session.temporaryStages.get(key) ?? ctx.state.stages.get(key);
      if (!definition) throw objectMissing('Stage', key);
      return { definition, id: `@${key}`, label: name.toLowerCase() };
    }
  }
}

export function stageRefFrom(token: Token | undefined): StageRef {
  if (token?.kind === 'stage') return parseStageRef(token.text);
  if (token?.kind === 'string' && token.value.startsWith('@')) return parseStageRef(token.value);
  throw compilationError(
    `syntax error: unexpected '${token?.text ?? 'end of statement'}', expected a stage (@…)`,
  );
}

/** How LIST/REMOVE/COPY results name a staged file. */
export function fileDisplayName(stage: ResolvedStage, rel: string): string {
  const def = stage.definition;
  if (def.kind !== 'internal') return joinKey(def.url.endsWith('/') ? def.url : `${def.url}/`, rel);
  return stage.label === '' ? rel : `${stage.label}/${rel}`;
}

/** Load-history identity of a staged file: external files by URL, internal ones by stage and path. */
export function fileHistoryKey(stage: ResolvedStage, rel: string): string {
  return stage.definition.kind === 'internal' ? `${stage.id}/${rel}` : fileDisplayName(stage, rel);
}

function externalDefinition(ctx: StatementContext, url: string, options: Options): StageDefinition {
  const credentials = nestedOptions(options, 'CREDENTIALS');
  const integration = options.get('STORAGE_INTEGRATION');
  const opts = ctx.state.options;
  if (credentials && integration)
    throw compilationError('CREDENTIALS and STORAGE_INTEGRATION are mutually exclusive');
  if (integration) {
    if (integration.kind !== 'word' && integration.kind !== 'qident')
      throw compilationError('invalid STORAGE_INTEGRATION');
    const name = integration.kind === 'word' ? integration.value.toUpperCase() : integration.value;
    if (!(opts.storageIntegrations ?? []).some((known) => known === name))
      throw objectMissing('Integration', name);
  }
  if (/^s3:\/\//i.test(url)) {
    if (credentials) onlyKnown(credentials, ['AWS_KEY_ID', 'AWS_SECRET_KEY', 'AWS_TOKEN'], 'CREDENTIALS');
    const keyId = credentials && scalar(credentials, 'AWS_KEY_ID');
    const secret = credentials && scalar(credentials, 'AWS_SECRET_KEY');
    const fromIntegration = integration ? opts.s3Credentials : undefined;
    if (integration && !fromIntegration)
      throw unsupported('a storage integration without s3Credentials given to the fake');
    const resolved =
      fromIntegration ??
      (keyId && secret
        ? { accessKeyId: keyId, secretAccessKey: secret, sessionToken: scalar(credentials, 'AWS_TOKEN') }
        : undefined);
    // Snowflake accepts a stage without credentials (public bucket); the fake has none to offer.
    if (!resolved) throw unsupported('an s3:// stage without CREDENTIALS or STORAGE_INTEGRATION');
    return { kind: 's3', url, ...parseS3Url(url), credentials: resolved };
  }
  if (/^azure:\/\//i.test(url)) {
    if (credentials) onlyKnown(credentials, ['AZURE_SAS_TOKEN'], 'CREDENTIALS');
    const sas = credentials && scalar(credentials, 'AZURE_SAS_TOKEN');
    const fromIntegration = integration ? opts.azureCredentials : undefined;
    if (integration && !fromIntegration)
      throw unsupported('a storage integration without azureCredentials given to the fake');
    const auth = fromIntegration ?? (sas ? { sasToken: sas } : undefined);
    if (!auth) throw unsupported('an azure:// stage without CREDENTIALS or STORAGE_INTEGRATION');
    return { kind: 'azure', url, ...parseAzureUrl(url), auth };
  }
  throw unsupported(`stage URL scheme of '${url.replace(/\?.*$/, '')}'`);
}

/** `CREATE [TEMPORARY] STAGE [IF NOT EXISTS] <name> [URL = '…' CREDENTIALS = (…) | STORAGE_INTEGRATION = …]` */
export async function createStage(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  let i = 1;
  const temporary = isWord(tokens[i], 'TEMPORARY', 'TEMP');
  if (temporary) i++;
  if (!isWord(tokens[i], 'STAGE')) throw unsupported(`CREATE ${tokens[i]?.text ?? ''}`);
  i++;
  const ifNotExists =
    isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'NOT') && isWord(tokens[i + 2], 'EXISTS');
  if (ifNotExists) i += 3;
  const { parts, next } = readQualifiedName(tokens, i);
  const { options, next: end } = parseOptions(tokens, next);
  if (end !== tokens.length) throw compilationError(`syntax error: unexpected '${tokens[end]?.text ?? ''}'`);
  onlyKnown(options, ['URL', 'CREDENTIALS', 'STORAGE_INTEGRATION'], 'CREATE STAGE');
  await implicitCommit(ctx.state.engine, ctx.session);

  const { key, name } = stageKey(parts, ctx);
  const registry = temporary ? ctx.session.temporaryStages : ctx.state.stages;
  if (ctx.session.temporaryStages.has(key) || ctx.state.stages.has(key)) {
    if (ifNotExists) return statusResult(`${name} already exists, statement succeeded.`);
    throw objectExists(key);
  }
  const url = scalar(options, 'URL');
  let definition: StageDefinition;
  if (url !== undefined) {
    definition = externalDefinition(ctx, url, options);
  } else {
    if (options.size > 0) throw compilationError('CREDENTIALS / STORAGE_INTEGRATION need a URL');
    const scope = temporary ? path.join('temporary', String(ctx.session.id)) : 'named';
    definition = { kind: 'internal', folder: path.join(ctx.state.options.stageRoot, scope, enc(key)) };
  }
  registry.set(key, definition);
  return statusResult(`Stage area ${name} successfully created.`);
}
