/**
 * The torture table: edge values for every logical type, written once and loaded into
 * PostgreSQL, DuckDB and MariaDB with each engine's own literal syntax.
 */
export type Engine = 'postgresql' | 'duckdb' | 'mysql';
type Kind =
  | 'bool'
  | 'int'
  | 'float'
  | 'decimal'
  | 'text'
  | 'bin'
  | 'date'
  | 'time'
  | 'ts'
  | 'tstz'
  | 'iv'
  | 'uuid'
  | 'json';
type ColumnDef = { name: string; kind: Kind; types: Record<Engine, string | null> };

export const TORTURE_COLUMNS: ColumnDef[] = [
  {
    name: 'id',
    kind: 'int',
    types: { postgresql: 'integer PRIMARY KEY', duckdb: 'INTEGER PRIMARY KEY', mysql: 'INT PRIMARY KEY' },
  },
  { name: 'b', kind: 'bool', types: { postgresql: 'boolean', duckdb: 'BOOLEAN', mysql: 'TINYINT(1) NULL' } },
  { name: 'i16', kind: 'int', types: { postgresql: 'smallint', duckdb: 'SMALLINT', mysql: 'SMALLINT NULL' } },
  { name: 'i32', kind: 'int', types: { postgresql: 'integer', duckdb: 'INTEGER', mysql: 'INT NULL' } },
  { name: 'i64', kind: 'int', types: { postgresql: 'bigint', duckdb: 'BIGINT', mysql: 'BIGINT NULL' } },
  { name: 'f32', kind: 'float', types: { postgresql: 'real', duckdb: 'FLOAT', mysql: 'FLOAT NULL' } },
  {
    name: 'f64',
    kind: 'float',
    types: { postgresql: 'double precision', duckdb: 'DOUBLE', mysql: 'DOUBLE NULL' },
  },
  {
    name: 'd',
    kind: 'decimal',
    types: { postgresql: 'numeric(38,10)', duckdb: 'DECIMAL(38,10)', mysql: 'DECIMAL(38,10) NULL' },
  },
  // A wider scale on the copy: 1.5000 and 1.50000000 are the same value.
  {
    name: 'dn',
    kind: 'decimal',
    types: { postgresql: 'numeric(20,4)', duckdb: 'DECIMAL(30,8)', mysql: 'DECIMAL(30,8) NULL' },
  },
  { name: 't', kind: 'text', types: { postgresql: 'text', duckdb: 'VARCHAR', mysql: 'TEXT NULL' } },
  { name: 'c', kind: 'text', types: { postgresql: 'char(5)', duckdb: 'VARCHAR', mysql: 'CHAR(5) NULL' } },
  { name: 'bin', kind: 'bin', types: { postgresql: 'bytea', duckdb: 'BLOB', mysql: 'VARBINARY(64) NULL' } },
  { name: 'dt', kind: 'date', types: { postgresql: 'date', duckdb: 'DATE', mysql: 'DATE NULL' } },
  { name: 'tm', kind: 'time', types: { postgresql: 'time', duckdb: 'TIME', mysql: 'TIME(6) NULL' } },
  {
    name: 'ts',
    kind: 'ts',
    types: { postgresql: 'timestamp', duckdb: 'TIMESTAMP', mysql: 'DATETIME(6) NULL' },
  },
  {
    name: 'tstz',
    kind: 'tstz',
    types: { postgresql: 'timestamptz', duckdb: 'TIMESTAMPTZ', mysql: 'TIMESTAMP(6) NULL' },
  },
  { name: 'iv', kind: 'iv', types: { postgresql: 'interval', duckdb: 'INTERVAL', mysql: null } },
  { name: 'u', kind: 'uuid', types: { postgresql: 'uuid', duckdb: 'UUID', mysql: 'UUID NULL' } },
  { name: 'j', kind: 'json', types: { postgresql: 'jsonb', duckdb: 'JSON', mysql: 'JSON NULL' } },
];

export type TortureRow = Record<string, string | null | undefined>;

const NASTY_TEXT = 'a,b;"q" \'s\'\ttab\nnew\r\\back\\ %_ end ';

/** Rows for PostgreSQL ↔ DuckDB (full ranges, NaN/Infinity, BC dates, intervals). */
export const TORTURE_ROWS: TortureRow[] = [
  { id: '1' },
  {
    id: '2',
    b: 'false',
    i16: '0',
    i32: '0',
    i64: '0',
    f32: '0',
    f64: '0',
    d: '0',
    dn: '0',
    t: '',
    c: '',
    bin: '',
    dt: '2000-01-01',
    tm: '00:00:00',
    ts: '2000-01-01 00:00:00',
    tstz: '2000-01-01 00:00:00+00',
    iv: '0 seconds',
    u: '00000000-0000-0000-0000-000000000000',
    j: '{}',
  },
  {
    id: '3',
    b: 'true',
    i16: '32767',
    i32: '2147483647',
    i64: '9223372036854775807',
    f32: '3.4028235e38',
    f64: '1.7976931348623157e308',
    d: '9999999999999999999999999999.9999999999',
    dn: '9999999999999999.9999',
    t: NASTY_TEXT,
    c: 'ab',
    bin: 'deadbeef00ff',
    dt: '5874897-12-31',
    tm: '24:00:00',
    ts: '294246-12-31 23:59:59.999999',
    tstz: '294246-12-31 10:00:00.000001+05:30',
    iv: '-1 years -2 months 3 days -04:05:06.789',
    u: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
    j: '{"a": [1, 2.5, "x\\ny"], "b": null}',
  },
  {
    id: '4',
    b: 'false',
    i16: '-32768',
    i32: '-2147483648',
    i64: '-9223372036854775808',
    f32: '-3.4028235e38',
    f64: '-1.7976931348623157e308',
    d: '-9999999999999999999999999999.9999999999',
    dn: '-0.0001',
    t: 'ünïcødé 日本語 🎉 ﷽',
    c: 'x',
    bin: '00',
    dt: '4713-01-01 BC',
    tm: '00:00:00.000001',
    ts: '4713-01-01 00:00:00 BC',
    tstz: '0001-01-01 00:00:00.5-03:00',
    iv: '1 day',
    j: '[]',
  },
  {
    id: '5',
    f32: 'NaN',
    f64: 'NaN',
    d: '1.50',
    dn: '1.5',
    t: 'N',
    c: 'abcde',
    dt: '0001-01-01 BC',
    tm: '23:59:59.999999',
  },
  {
    id: '6',
    f32: 'Infinity',
    f64: 'Infinity',
    d: '-0.0000000000',
    dn: '-0',
    t: 'NULL',
    dt: '0001-01-01',
    ts: '0001-01-01 00:00:00',
  },
  {
    id: '7',
    f32: '-Infinity',
    f64: '-Infinity',
    d: '0.0000000001',
    t: '\\N',
    ts: '1970-01-01 00:00:00.000001',
  },
  { id: '8', f32: '-0', f64: '-0', d: '-1.5', t: ' ', c: ' a' },
  { id: '9', f32: '1e-45', f64: '5e-324', d: '123456789.123', t: '"', ts: '1582-10-10 12:00:00' },
  { id: '10', f32: '0.1', f64: '0.1', d: '0.1', t: "'", tstz: '2020-03-29 01:30:00+01:00' },
  {
    id: '11',
    f32: '1.17549435e-38',
    f64: '2.2250738585072014e-308',
    t: ',',
    tstz: '2020-06-01 12:00:00.123456+05:30',
  },
  { id: '12', f32: '16777217', f64: '9007199254740993', t: '\t', tstz: '2021-12-31 23:59:59.999999-08:00' },
  { id: '13', f32: '-123.456e-10', f64: '-123.456e-10', t: '\n', i64: '1' },
  { id: '14', f64: '1e300', t: 'x'.repeat(3000), bin: 'ff'.repeat(32) },
];

/** Rows for PostgreSQL ↔ MariaDB: the ranges MariaDB holds (no NaN/Infinity, years 1000–9999, 1970–2038 for TIMESTAMP). */
export const MARIADB_ROWS: TortureRow[] = [
  { id: '1' },
  {
    ...TORTURE_ROWS[1],
    iv: undefined,
    dt: '1000-01-01',
    ts: '1000-01-01 00:00:00',
    tstz: '1970-01-02 00:00:00+00',
  },
  {
    ...TORTURE_ROWS[2],
    iv: undefined,
    dt: '9999-12-31',
    tm: '23:59:59.999999',
    ts: '9999-12-31 23:59:59.999999',
    tstz: '2038-01-18 10:00:00.000001+05:30',
    j: '{"a": [1, 2.5, "x\\ny"], "b": null}',
  },
  {
    ...TORTURE_ROWS[3],
    iv: undefined,
    dt: '1000-01-01',
    ts: '1000-01-01 00:00:00.000001',
    tstz: '2020-03-29 01:30:00+01:00',
  },
  { id: '5', f64: '0.1', f32: '0.1', d: '1.50', dn: '1.5', t: 'N', c: 'abcde' },
  { id: '6', f64: '-0', f32: '-0', d: '-0.0000000000', dn: '-0', t: 'NULL' },
  {
    id: '7',
    f64: '5e-324',
    f32: '16777217',
    d: '0.0000000001',
    t: '\\N',
    tstz: '2021-12-31 23:59:59.999999-08:00',
  },
  { id: '8', f64: '-123.456e-10', f32: '-123.456e-10', t: '"\'', ts: '1582-10-10 12:00:00' },
  { id: '9', f64: '9007199254740993', t: '\t\n,', i64: '1' },
  { id: '10', f64: '1e300', t: 'ünïcødé 日本語 🎉' },
];

function quote(engine: Engine, s: string): string {
  const escaped = engine === 'mysql' ? s.replaceAll('\\', '\\\\') : s;
  return `'${escaped.replaceAll("'", "''")}'`;
}

/** DuckDB spells BC as `(BC)` after the date. */
function duckBc(v: string): string {
  const m = /^(\S+)(?: (\S+))? BC$/.exec(v);
  return m ? `${m[1]} (BC)${m[2] ? ` ${m[2]}` : ''}` : v;
}

/** MariaDB TIMESTAMP literals carry no offset: convert it in SQL (the session runs in UTC). */
function mysqlTimestamp(v: string): string {
  const m = /^(.*?)([+-]\d\d)(?::(\d\d))?$/.exec(v);
  if (!m) return quote('mysql', v);
  return `CONVERT_TZ(${quote('mysql', m[1] ?? '')}, '${m[2]}:${m[3] ?? '00'}', '+00:00')`;
}

function literal(engine: Engine, col: ColumnDef, v: string): string {
  const type = (col.types[engine] ?? '').replace(/ (PRIMARY KEY|NULL)$/, '');
  switch (col.kind) {
    case 'bool':
      return engine === 'mysql' ? (v === 'true' ? '1' : '0') : v.toUpperCase();
    case 'int':
      return v;
    case 'bin':
      return engine === 'postgresql' ? `decode('${v}', 'hex')` : `UNHEX('${v}')`;
    case 'text':
      return quote(engine, v);
    case 'tstz':
      if (engine === 'mysql') return mysqlTimestamp(v);
      return `CAST(${quote(engine, v)} AS ${type})`;
    case 'date':
    case 'ts':
      return `CAST(${quote(engine, engine === 'duckdb' ? duckBc(v) : v)} AS ${type})`;
    case 'uuid':
    case 'json':
      return engine === 'mysql' ? quote(engine, v) : `CAST(${quote(engine, v)} AS ${type})`;
    default:
      return `CAST(${quote(engine, v)} AS ${type})`;
  }
}

export function columnsFor(engine: Engine): ColumnDef[] {
  return TORTURE_COLUMNS.filter((c) => c.types[engine] !== null);
}

export function createTableSql(engine: Engine, table: string): string {
  const cols = columnsFor(engine).map((c) => `${c.name} ${c.types[engine]}`);
  return `CREATE TABLE ${table} (${cols.join(', ')})`;
}

export function insertSql(engine: Engine, table: string, rows: TortureRow[]): string {
  const cols = columnsFor(engine);
  const values = rows.map(
    (r) =>
      `(${cols.map((c) => (r[c.name] === null || r[c.name] === undefined ? 'NULL' : literal(engine, c, r[c.name] ?? ''))).join(', ')})`,
  );
  return `INSERT INTO ${table} (${cols.map((c) => c.name).join(', ')}) VALUES ${values.join(',\n')}`;
}
