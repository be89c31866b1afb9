import { compilationError, objectExists, objectMissing, unsupported } from './errors.js';
import { qualifiedSql, type TableName } from './engine.js';
import { displayName, readQualifiedName, tableName } from './names.js';
import { snowflakeColumnType, type SnowflakeColumnType } from './information-schema.js';
import { STATEMENT_TYPE, statusResult, type StatementResult } from './results.js';
import { implicitCommit, inStatementTransaction } from './session.js';
import { createStage } from './stages.js';
import { duckLiteral, identifierValue, isPunct, isWord, quoteIdent, type Token } from './sql-text.js';
import type { StatementContext } from './state.js';

/** Snowflake type (name and arguments) → DuckDB type, for the types of contract item 6. */
function duckdbType(name: string, args: number[], column: string): { type: string; check?: string } {
  const [p, s] = args;
  switch (name) {
    case 'NUMBER':
    case 'NUMERIC':
    case 'DECIMAL':
      if ((p ?? 38) > 38 || (p ?? 38) < 1 || (s ?? 0) > (p ?? 38))
        throw compilationError(`invalid type ${name}(${args.join(',')})`);
      return { type: `DECIMAL(${p ?? 38},${s ?? 0})` };
    case 'INT':
    case 'INTEGER':
    case 'BIGINT':
    case 'SMALLINT':
    case 'TINYINT':
    case 'BYTEINT':
      return { type: 'DECIMAL(38,0)' };
    case 'FLOAT':
    case 'FLOAT4':
    case 'FLOAT8':
    case 'DOUBLE':
    case 'REAL':
      return { type: 'DOUBLE' };
    case 'VARCHAR':
    case 'STRING':
    case 'TEXT':
    case 'CHAR':
    case 'CHARACTER':
      // Snowflake rejects longer values instead of truncating; a CHECK does the same.
      return p === undefined
        ? { type: 'VARCHAR' }
        : {
            type: 'VARCHAR',
            check: `CONSTRAINT "__dxa_fake_length_${column}" CHECK (length(${quoteIdent(column)}) <= ${p})`,
          };
    case 'BINARY':
    case 'VARBINARY':
      return { type: 'BLOB' };
    case 'BOOLEAN':
      return { type: 'BOOLEAN' };
    case 'DATE':
      return { type: 'DATE' };
    case 'TIME':
      return { type: 'TIME' };
    case 'TIMESTAMP_NTZ':
    case 'DATETIME':
    case 'TIMESTAMP':
      return { type: 'TIMESTAMP' };
    case 'TIMESTAMP_TZ':
    case 'TIMESTAMP_LTZ':
      return { type: 'TIMESTAMPTZ' };
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return { type: 'JSON' };
    default:
      throw unsupported(`column type ${name}`);
  }
}

type ParsedColumns = {
  sql: string[];
  checks: string[];
  /** Column name → its type as Snowflake's INFORMATION_SCHEMA.COLUMNS spells it. */
  catalogTypes: Map<string, SnowflakeColumnType>;
  next: number;
};

function parseColumns(tokens: Token[], start: number): ParsedColumns {
  if (!isPunct(tokens[start], '(')) throw unsupported('CREATE TABLE without a column list');
  const sql: string[] = [];
  const checks: string[] = [];
  const catalogTypes = new Map<string, SnowflakeColumnType>();
  let i = start + 1;
  for (;;) {
    const name = identifierValue(tokens[i]!);
    const typeToken = tokens[i + 1];
    if (typeToken?.kind !== 'word')
      throw compilationError(`syntax error: expected a type for column ${name}`);
    i += 2;
    const args: number[] = [];
    if (isPunct(tokens[i], '(')) {
      i++;
      while (!isPunct(tokens[i], ')')) {
        if (tokens[i]?.kind !== 'number')
          throw compilationError(`syntax error in the type of column ${name}`);
        args.push(Number(tokens[i]!.text));
        i++;
        if (isPunct(tokens[i], ',')) i++;
      }
      i++;
    }
    const mapped = duckdbType(typeToken.value.toUpperCase(), args, name);
    catalogTypes.set(name, snowflakeColumnType(typeToken.value.toUpperCase(), args));
    let constraint = '';
    if (isWord(tokens[i], 'NOT') && isWord(tokens[i + 1], 'NULL')) {
      constraint = ' NOT NULL';
      i += 2;
    } else if (isWord(tokens[i], 'NULL')) i++;
    sql.push(`${quoteIdent(name)} ${mapped.type}${constraint}`);
    if (mapped.check) checks.push(mapped.check);
    if (isPunct(tokens[i], ',')) {
      i++;
      continue;
    }
    if (isPunct(tokens[i], ')')) return { sql, checks, catalogTypes, next: i + 1 };
    throw unsupported(`column option '${tokens[i]?.text ?? 'end of statement'}' in CREATE TABLE`);
  }
}

async function createTable(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  let i = 2;
  const ifNotExists =
    isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'NOT') && isWord(tokens[i + 2], 'EXISTS');
  if (ifNotExists) i += 3;
  const { parts, next } = readQualifiedName(tokens, i);
  const name = tableName(parts, ctx.session);
  const { sql, checks, catalogTypes, next: end } = parseColumns(tokens, next);
  if (end !== tokens.length)
    throw unsupported(`'${tokens[end]!.text}' after the column list of CREATE TABLE`);
  const { engine } = ctx.state;
  await implicitCommit(engine, ctx.session);
  await engine.ensureSchema(name.db, name.schema);
  if (await engine.tableExists(ctx.session.conn, name)) {
    if (ifNotExists) return statusResult(`${name.table} already exists, statement succeeded.`);
    throw objectExists(displayName(name));
  }
  await ctx.session.conn.run(`CREATE TABLE ${qualifiedSql(name)} (${[...sql, ...checks].join(', ')})`);
  // The Snowflake type goes into the column comment: INFORMATION_SCHEMA.COLUMNS answers from it.
  for (const [column, type] of catalogTypes)
    await ctx.session.conn.run(
      `COMMENT ON COLUMN ${qualifiedSql(name)}.${quoteIdent(column)} IS ${duckLiteral(JSON.stringify(type))}`,
    );
  engine.tables.created(name);
  return statusResult(`Table ${name.table} successfully created.`);
}

async function dropTable(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  if (!isWord(tokens[1], 'TABLE')) throw unsupported(`DROP ${tokens[1]?.text ?? ''}`);
  let i = 2;
  const ifExists = isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'EXISTS');
  if (ifExists) i += 2;
  const { parts, next } = readQualifiedName(tokens, i);
  if (next !== tokens.length) throw unsupported(`'${tokens[next]!.text}' in DROP TABLE`);
  const name = tableName(parts, ctx.session);
  const { engine } = ctx.state;
  await implicitCommit(engine, ctx.session);
  if (!(await engine.tableExists(ctx.session.conn, name))) {
    if (ifExists)
      return statusResult(`Drop statement executed successfully (${name.table} already dropped).`);
    throw objectMissing('Table', displayName(name));
  }
  await ctx.session.conn.run(`DROP TABLE ${qualifiedSql(name)}`);
  engine.tables.dropped(name);
  return statusResult(`${name.table} successfully dropped.`);
}

/** TRUNCATE is DML in Snowflake: it takes part in the open transaction and clears load history. */
async function truncate(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  let i = isWord(tokens[1], 'TABLE') ? 2 : 1;
  const ifExists = isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'EXISTS');
  if (ifExists) i += 2;
  const { parts, next } = readQualifiedName(tokens, i);
  if (next !== tokens.length) throw unsupported(`'${tokens[next]!.text}' in TRUNCATE`);
  const name = tableName(parts, ctx.session);
  const { engine } = ctx.state;
  if (!(await engine.tableExists(ctx.session.conn, name))) {
    if (ifExists) return statusResult('Statement executed successfully.', STATEMENT_TYPE.dml);
    throw objectMissing('Table', displayName(name));
  }
  const tableId = engine.tables.idOf(name);
  await inStatementTransaction(engine, ctx.session, async () => {
    await ctx.session.conn.run(`DELETE FROM ${qualifiedSql(name)}`);
    return { result: undefined, changes: [{ kind: 'clear', tableId }] };
  });
  return statusResult('Statement executed successfully.', STATEMENT_TYPE.dml);
}

async function requireTable(ctx: StatementContext, name: TableName): Promise<void> {
  if (!(await ctx.state.engine.tableExists(ctx.session.conn, name)))
    throw objectMissing('Table', displayName(name));
}

/** `ALTER TABLE a SWAP WITH b` / `ALTER TABLE a RENAME TO b` (same database and schema only). */
async function alterTable(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  const first = readQualifiedName(tokens, 2);
  const a = tableName(first.parts, ctx.session);
  const i = first.next;
  const swap = isWord(tokens[i], 'SWAP') && isWord(tokens[i + 1], 'WITH');
  const rename = isWord(tokens[i], 'RENAME') && isWord(tokens[i + 1], 'TO');
  if (!swap && !rename) throw unsupported(`ALTER TABLE … ${tokens[i]?.text ?? ''}`);
  const second = readQualifiedName(tokens, i + 2);
  if (second.next !== tokens.length) throw unsupported(`'${tokens[second.next]!.text}' in ALTER TABLE`);
  const b = tableName(second.parts, ctx.session);
  if (a.db.toLowerCase() !== b.db.toLowerCase() || a.schema.toLowerCase() !== b.schema.toLowerCase())
    throw unsupported('ALTER TABLE across databases or schemas');
  const { engine } = ctx.state;
  await implicitCommit(engine, ctx.session);
  await requireTable(ctx, a);
  const conn = ctx.session.conn;
  if (rename) {
    if (await engine.tableExists(conn, b)) throw objectExists(displayName(b));
    await conn.run(`ALTER TABLE ${qualifiedSql(a)} RENAME TO ${quoteIdent(b.table)}`);
    engine.tables.renamed(a, b);
    return statusResult('Statement executed successfully.');
  }
  await requireTable(ctx, b);
  const parking = `__dxa_fake_swap_${Date.now()}`;
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(`ALTER TABLE ${qualifiedSql(a)} RENAME TO ${quoteIdent(parking)}`);
    await conn.run(`ALTER TABLE ${qualifiedSql(b)} RENAME TO ${quoteIdent(a.table)}`);
    await conn.run(`ALTER TABLE ${qualifiedSql({ ...a, table: parking })} RENAME TO ${quoteIdent(b.table)}`);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  engine.tables.swapped(a, b);
  return statusResult('Statement executed successfully.');
}

export async function ddl(ctx: StatementContext, tokens: Token[]): Promise<StatementResult> {
  const verb = tokens[0]!.value.toUpperCase();
  if (verb === 'CREATE') {
    if (isWord(tokens[1], 'TABLE')) return createTable(ctx, tokens);
    return createStage(ctx, tokens);
  }
  if (verb === 'DROP') return dropTable(ctx, tokens);
  if (verb === 'TRUNCATE') return truncate(ctx, tokens);
  if (verb === 'ALTER' && isWord(tokens[1], 'TABLE')) return alterTable(ctx, tokens);
  throw unsupported(`${verb} ${tokens[1]?.text ?? ''}`);
}
