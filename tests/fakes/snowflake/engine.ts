import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SNOWFLAKE_MACROS } from './functions.js';
import { duckLiteral, quoteIdent } from './sql-text.js';

export type TableName = { db: string; schema: string; table: string };

export function qualifiedSql(name: TableName): string {
  return `${quoteIdent(name.db)}.${quoteIdent(name.schema)}.${quoteIdent(name.table)}`;
}

/** DuckDB resolves identifiers case-insensitively, so the fake keys tables the same way. */
function tableKey(name: TableName): string {
  return [name.db, name.schema, name.table].map((p) => p.toLowerCase()).join('\u0000');
}

/**
 * Table objects and their load history. Snowflake keeps load metadata on the table object, so it
 * follows RENAME and SWAP, is cleared by TRUNCATE and disappears with DROP.
 */
export class TableObjects {
  private readonly ids = new Map<string, number>();
  private readonly history = new Map<number, Map<string, string>>();
  private nextId = 1;

  idOf(name: TableName): number {
    const key = tableKey(name);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(key, id);
    }
    return id;
  }

  created(name: TableName): void {
    this.ids.set(tableKey(name), this.nextId++);
  }

  dropped(name: TableName): void {
    const key = tableKey(name);
    const id = this.ids.get(key);
    if (id !== undefined) this.history.delete(id);
    this.ids.delete(key);
  }

  renamed(from: TableName, to: TableName): void {
    const id = this.idOf(from);
    this.ids.delete(tableKey(from));
    this.ids.set(tableKey(to), id);
  }

  swapped(a: TableName, b: TableName): void {
    const idA = this.idOf(a);
    const idB = this.idOf(b);
    this.ids.set(tableKey(a), idB);
    this.ids.set(tableKey(b), idA);
  }

  /** The md5 recorded when `file` was loaded into the table, if it was. */
  loaded(tableId: number, file: string): string | undefined {
    return this.history.get(tableId)?.get(file);
  }

  record(tableId: number, file: string, md5: string): void {
    let files = this.history.get(tableId);
    if (!files) this.history.set(tableId, (files = new Map<string, string>()));
    files.set(file, md5);
  }

  clear(tableId: number): void {
    this.history.delete(tableId);
  }
}

export type Row = Record<string, unknown>;

/**
 * One in-process DuckDB instance for the fake's lifetime. Each Snowflake database is a DuckDB
 * file ATTACHed under the database's name, so the data outlives HTTP restarts and `dataDir` can be
 * inspected; every session gets its own connection (own transaction).
 */
export class Engine {
  readonly tables = new TableObjects();
  private readonly attached = new Set<string>();
  /** The admin connection runs one statement at a time (logins and test queries may overlap). */
  private adminQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly admin: DuckDBConnection,
    private readonly dbDir: string,
    readonly defaults: { database: string; schema: string },
  ) {}

  static async open(dataDir: string, defaults: { database: string; schema: string }): Promise<Engine> {
    const dbDir = path.join(dataDir, 'databases');
    await mkdir(dbDir, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:');
    const admin = await instance.connect();
    await admin.run(`SET TimeZone = 'UTC'`);
    const engine = new Engine(instance, admin, dbDir, defaults);
    await engine.ensureSchema(defaults.database, defaults.schema);
    await admin.run(`USE ${quoteIdent(defaults.database)}.${quoteIdent(defaults.schema)}`);
    return engine;
  }

  private onAdmin<T>(work: () => Promise<T>): Promise<T> {
    const result = this.adminQueue.then(work, work);
    this.adminQueue = result.catch(() => undefined);
    return result;
  }

  /** Attaches (creating if needed) the database and creates the schema, as Snowflake would have them. */
  ensureSchema(db: string, schema: string): Promise<void> {
    return this.onAdmin(async () => {
      if (!this.attached.has(db.toLowerCase())) {
        const file = path.join(this.dbDir, `${encodeURIComponent(db)}.duckdb`);
        await this.admin.run(`ATTACH IF NOT EXISTS ${duckLiteral(file)} AS ${quoteIdent(db)}`);
        await this.admin.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(db)}."PUBLIC"`);
        this.attached.add(db.toLowerCase());
      }
      await this.admin.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(db)}.${quoteIdent(schema)}`);
    });
  }

  async connect(db: string, schema: string): Promise<DuckDBConnection> {
    await this.ensureSchema(db, schema);
    const conn = await this.instance.connect();
    await conn.run(`SET TimeZone = 'UTC'`);
    await conn.run(`USE ${quoteIdent(db)}.${quoteIdent(schema)}`);
    // Snowflake functions the contract's checks call that DuckDB lacks.
    await conn.run(`CREATE OR REPLACE TEMP MACRO current_version() AS '9.0.0'`);
    for (const macro of SNOWFLAKE_MACROS) await conn.run(macro);
    return conn;
  }

  /** For tests: runs SQL on the engine directly (default database and schema), JSON-friendly rows. */
  query(sql: string): Promise<Row[]> {
    return this.onAdmin(async () => (await this.admin.runAndReadAll(sql)).getRowObjectsJson());
  }

  async tableExists(conn: DuckDBConnection, name: TableName): Promise<boolean> {
    const reader = await conn.runAndReadAll(
      `SELECT count(*) FROM duckdb_tables() WHERE lower(database_name) = lower($1)
         AND lower(schema_name) = lower($2) AND lower(table_name) = lower($3)`,
      [name.db, name.schema, name.table],
    );
    return Number(reader.getRows()[0]?.[0]) > 0;
  }

  /** Column names, DuckDB types and nullability of a table, in order. */
  async columns(
    conn: DuckDBConnection,
    name: TableName,
  ): Promise<{ name: string; type: string; nullable: boolean }[]> {
    const reader = await conn.runAndReadAll(
      `SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE lower(database_name) = lower($1)
         AND lower(schema_name) = lower($2) AND lower(table_name) = lower($3) ORDER BY column_index`,
      [name.db, name.schema, name.table],
    );
    return reader.getRows().map(([n, t, nullable]) => ({
      name: String(n),
      type: String(t),
      nullable: Boolean(nullable),
    }));
  }

  close(): void {
    this.admin.closeSync();
    this.instance.closeSync();
  }
}
