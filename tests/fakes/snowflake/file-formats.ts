import { compilationError, SnowflakeError, unsupported } from './errors.js';
import { booleanOption, onlyKnown, scalar, stringList, type Options } from './options.js';
import { duckLiteral, quoteIdent } from './sql-text.js';

export type TableColumn = { name: string; type: string; nullable: boolean };

export type FileFormat =
  | { type: 'PARQUET'; match: 'CASE_SENSITIVE' | 'CASE_INSENSITIVE'; binaryAsText: boolean }
  | { type: 'CSV'; gzip: boolean | 'auto'; skipHeader: number };

/**
 * The FILE_FORMAT / MATCH_BY_COLUMN_NAME combinations of contract item 17. Anything else fails as
 * unsupported, so a connector change in the options is noticed instead of silently ignored.
 */
export function fileFormatFrom(format: Options, matchByColumnName: string | undefined): FileFormat {
  const type = scalar(format, 'TYPE')?.toUpperCase();
  const match = matchByColumnName?.toUpperCase();
  if (type === 'PARQUET') {
    onlyKnown(format, ['TYPE', 'USE_LOGICAL_TYPE', 'BINARY_AS_TEXT', 'COMPRESSION'], 'FILE_FORMAT');
    if (!booleanOption(format, 'USE_LOGICAL_TYPE', false))
      throw unsupported('PARQUET without USE_LOGICAL_TYPE = TRUE');
    if (match !== 'CASE_SENSITIVE' && match !== 'CASE_INSENSITIVE')
      throw new SnowflakeError(
        '002019',
        '0A000',
        'SQL compilation error:\nPARQUET file format can produce one and only one column of type variant, object, ' +
          'or array. Load data into separate columns using the MATCH_BY_COLUMN_NAME copy option or copy with transformation.',
      );
    return { type: 'PARQUET', match, binaryAsText: booleanOption(format, 'BINARY_AS_TEXT', true) };
  }
  if (type === 'CSV') {
    onlyKnown(
      format,
      [
        'TYPE',
        'COMPRESSION',
        'SKIP_HEADER',
        'FIELD_OPTIONALLY_ENCLOSED_BY',
        'EMPTY_FIELD_AS_NULL',
        'NULL_IF',
        'ESCAPE_UNENCLOSED_FIELD',
      ],
      'FILE_FORMAT',
    );
    if (match !== undefined && match !== 'NONE') throw unsupported('MATCH_BY_COLUMN_NAME with CSV');
    if (scalar(format, 'FIELD_OPTIONALLY_ENCLOSED_BY') !== '"')
      throw unsupported(`CSV without FIELD_OPTIONALLY_ENCLOSED_BY = '"'`);
    if (scalar(format, 'ESCAPE_UNENCLOSED_FIELD')?.toUpperCase() !== 'NONE')
      throw unsupported('CSV without ESCAPE_UNENCLOSED_FIELD = NONE (the default is a backslash escape)');
    if (stringList(format, 'NULL_IF')?.length !== 0)
      throw unsupported(`CSV without NULL_IF = () (the default is ('\\\\N'))`);
    if (!booleanOption(format, 'EMPTY_FIELD_AS_NULL', true)) throw unsupported('EMPTY_FIELD_AS_NULL = FALSE');
    const compression = (scalar(format, 'COMPRESSION') ?? 'AUTO').toUpperCase();
    if (!['AUTO', 'GZIP', 'NONE'].includes(compression))
      throw unsupported(`CSV COMPRESSION = ${compression}`);
    const skipHeader = Number(scalar(format, 'SKIP_HEADER') ?? 0);
    if (!Number.isInteger(skipHeader) || skipHeader < 0) throw compilationError('invalid SKIP_HEADER');
    return { type: 'CSV', gzip: compression === 'AUTO' ? 'auto' : compression === 'GZIP', skipHeader };
  }
  throw unsupported(`FILE_FORMAT TYPE = ${type ?? '(none)'}`);
}

const TRUE_WORDS = ['TRUE', 'T', 'YES', 'Y', 'ON', '1'];
const FALSE_WORDS = ['FALSE', 'F', 'NO', 'N', 'OFF', '0'];

function words(list: string[]): string {
  return list.map(duckLiteral).join(', ');
}

/** Snowflake's conversion of one CSV text field into the column's type (errors abort the load). */
function csvCast(field: string, type: string): string {
  switch (type) {
    case 'VARCHAR':
      return field;
    case 'BOOLEAN':
      return `CASE WHEN ${field} IS NULL THEN NULL WHEN upper(trim(${field})) IN (${words(TRUE_WORDS)}) THEN TRUE
        WHEN upper(trim(${field})) IN (${words(FALSE_WORDS)}) THEN FALSE
        ELSE error('Boolean value ''' || ${field} || ''' is not recognized') END`;
    case 'BLOB':
      // BINARY_FORMAT defaults to HEX: plain hex digits only (a PostgreSQL-style \x prefix is refused).
      return `CASE WHEN ${field} IS NULL THEN NULL WHEN regexp_full_match(${field}, '([0-9A-Fa-f]{2})*') THEN from_hex(${field})
        ELSE error('The following string is not a legal hex-encoded value: ''' || ${field} || '''') END`;
    default:
      return `CAST(${field} AS ${type})`;
  }
}

/** `INSERT … SELECT` reading one CSV file positionally into the table's columns. */
export function csvInsertSql(
  table: string,
  columns: TableColumn[],
  file: string,
  format: FileFormat & { type: 'CSV' },
): string {
  const fields = columns.map((_, i) => `c${i}`);
  const spec = fields.map((f) => `${duckLiteral(f)}: 'VARCHAR'`).join(', ');
  const gzip = format.gzip === 'auto' ? file.endsWith('.gz') : format.gzip;
  const read =
    `read_csv(${duckLiteral(file)}, columns = {${spec}}, header = false, skip = ${format.skipHeader}, ` +
    `delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, auto_detect = false, ` +
    `compression = '${gzip ? 'gzip' : 'none'}', max_line_size = 67108864, null_padding = false, parallel = false)`;
  const target = columns.map((c) => quoteIdent(c.name)).join(', ');
  const select = columns.map((c, i) => csvCast(fields[i]!, c.type)).join(', ');
  return `INSERT INTO ${table} (${target}) SELECT ${select} FROM ${read}`;
}

/**
 * `INSERT … SELECT` matching the table's columns to the Parquet file's by name. DuckDB's own
 * matching ignores case, so the fake matches names itself; every table column must be found
 * (stricter than Snowflake, which loads NULL into an unmatched nullable column: see README).
 */
export function parquetInsertSql(
  table: string,
  columns: TableColumn[],
  fileColumns: string[],
  file: string,
  format: FileFormat & { type: 'PARQUET' },
  label: string,
): string {
  if (format.binaryAsText && columns.some((c) => c.type === 'BLOB'))
    throw unsupported('loading a BINARY column from PARQUET with BINARY_AS_TEXT = TRUE (the default)');
  const pairs = columns.map((c) => {
    const source =
      format.match === 'CASE_SENSITIVE'
        ? fileColumns.find((f) => f === c.name)
        : fileColumns.find((f) => f.toUpperCase() === c.name.toUpperCase());
    if (source === undefined) {
      const how = format.match === 'CASE_SENSITIVE' ? 'case-sensitive ' : '';
      const why = `column "${c.name}" has no ${how}match among the columns of file '${label}' (${fileColumns.join(', ')})`;
      // Snowflake loads NULL into an unmatched column; a NOT NULL column then fails as here.
      if (!c.nullable)
        throw new SnowflakeError('100072', '22000', `NULL result in a non-nullable column: ${why}`);
      throw unsupported(`loading NULL into an unmatched column (${why}); Snowflake would`);
    }
    return { target: quoteIdent(c.name), source: quoteIdent(source) };
  });
  return (
    `INSERT INTO ${table} (${pairs.map((p) => p.target).join(', ')}) ` +
    `SELECT ${pairs.map((p) => p.source).join(', ')} FROM read_parquet(${duckLiteral(file)})`
  );
}
