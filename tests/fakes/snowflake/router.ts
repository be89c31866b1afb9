import { copyInto } from './copy-into.js';
import { ddl } from './ddl.js';
import { compilationError, unsupported } from './errors.js';
import { get, list, put, remove } from './file-commands.js';
import { parseOptions, scalar } from './options.js';
import { rowsFromDuckdb, STATEMENT_TYPE, statusResult, type StatementResult } from './results.js';
import { begin, commit, rollback } from './session.js';
import { selectToDuckdb } from './select.js';
import { isWord, singleStatement, substituteBinds, tokenize, type Binding, type Token } from './sql-text.js';
import type { StatementContext } from './state.js';

const OK = 'Statement executed successfully.';

async function select(ctx: StatementContext, tokens: Token[], sql: string): Promise<StatementResult> {
  const duckSql = selectToDuckdb(sql, tokens, ctx.session.database);
  const reader = await ctx.session.conn.runAndReadAll(duckSql);
  return rowsFromDuckdb(reader, STATEMENT_TYPE.select);
}

/** `ALTER SESSION SET QUERY_TAG = '…'` / `ALTER SESSION UNSET QUERY_TAG`. */
function alterSession(ctx: StatementContext, tokens: Token[]): StatementResult {
  if (isWord(tokens[2], 'UNSET') && isWord(tokens[3], 'QUERY_TAG') && tokens.length === 4) {
    ctx.session.queryTag = undefined;
    return statusResult(OK);
  }
  if (!isWord(tokens[2], 'SET')) throw unsupported(`ALTER SESSION ${tokens[2]?.text ?? ''}`);
  const { options, next } = parseOptions(tokens, 3);
  if (next !== tokens.length)
    throw compilationError(`syntax error: unexpected '${tokens[next]?.text ?? ''}'`);
  for (const key of options.keys()) if (key !== 'QUERY_TAG') throw unsupported(`session parameter ${key}`);
  ctx.session.queryTag = scalar(options, 'QUERY_TAG');
  return statusResult(OK);
}

async function transaction(ctx: StatementContext, verb: string, tokens: Token[]): Promise<StatementResult> {
  const rest = tokens.slice(1).map((t) => t.value.toUpperCase());
  const allowed: Record<string, string[][]> = {
    BEGIN: [[], ['TRANSACTION'], ['WORK']],
    START: [['TRANSACTION']],
    COMMIT: [[], ['WORK']],
    ROLLBACK: [[], ['WORK']],
  };
  if (!allowed[verb]!.some((shape) => shape.join(' ') === rest.join(' ')))
    throw unsupported(tokens.map((t) => t.text).join(' '));
  if (verb === 'BEGIN' || verb === 'START') await begin(ctx.session);
  else if (verb === 'COMMIT') await commit(ctx.state.engine, ctx.session);
  else await rollback(ctx.session);
  return statusResult(OK, STATEMENT_TYPE.transaction);
}

/** Routes one statement of the contract (docs/snowflake-statements.md) to its handler. */
export async function execute(
  ctx: StatementContext,
  sqlText: string,
  bindings: Record<string, Binding> | undefined,
): Promise<StatementResult> {
  const sql = substituteBinds(sqlText, bindings);
  const tokens = singleStatement(tokenize(sql));
  const first = tokens[0];
  if (first === undefined) throw compilationError('Empty SQL statement.');
  const verb = first.kind === 'word' ? first.value.toUpperCase() : first.text;
  switch (verb) {
    case 'SELECT':
    case 'WITH':
      return select(ctx, tokens, sql);
    case 'ALTER':
      return isWord(tokens[1], 'SESSION') ? alterSession(ctx, tokens) : ddl(ctx, tokens);
    case 'CREATE':
    case 'DROP':
    case 'TRUNCATE':
      return ddl(ctx, tokens);
    case 'BEGIN':
    case 'START':
    case 'COMMIT':
    case 'ROLLBACK':
      return transaction(ctx, verb, tokens);
    case 'PUT':
      return put(ctx, tokens);
    case 'GET':
      return get(ctx, tokens);
    case 'LIST':
    case 'LS':
      return list(ctx, tokens);
    case 'REMOVE':
    case 'RM':
      return remove(ctx, tokens);
    case 'COPY':
      return copyInto(ctx, tokens);
    default:
      throw unsupported(`the statement ${verb}`);
  }
}
