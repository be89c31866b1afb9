/** An error the fake reports to the client in Snowflake's shape (code, SQLSTATE, message). */
export class SnowflakeError extends Error {
  constructor(
    readonly code: string,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
    this.name = 'SnowflakeError';
  }
}

export function compilationError(detail: string): SnowflakeError {
  return new SnowflakeError('001003', '42000', `SQL compilation error:\n${detail}`);
}

/** What the fake does not implement: fails loudly, so a connector change it does not cover is noticed. */
export function unsupported(what: string): SnowflakeError {
  return compilationError(`${what} is unsupported by the fake (tests/fakes/snowflake, see its README)`);
}

export function objectMissing(kind: string, name: string): SnowflakeError {
  return new SnowflakeError(
    '002003',
    kind === 'Stage' ? '02000' : '42S02',
    `SQL compilation error:\n${kind} '${name}' does not exist or not authorized.`,
  );
}

export function objectExists(name: string): SnowflakeError {
  return new SnowflakeError('002002', '42710', `SQL compilation error:\nObject '${name}' already exists.`);
}

export function remoteFileMissing(url: string): SnowflakeError {
  return new SnowflakeError(
    '100038',
    '22000',
    `Remote file '${url}' was not found. There are several potential causes. The file might not exist. ` +
      'The required credentials may be missing or invalid. If you are running a copy command, please make ' +
      'sure files are not deleted when they are being loaded or files are not being loaded into two ' +
      'different tables concurrently with auto purge option.',
  );
}

export function stageAccessFailed(cause: string): SnowflakeError {
  return new SnowflakeError('091003', '22000', `Failure using stage area. Cause: [${cause}]`);
}

const COLUMN_COUNT = /Expected Number of Columns: (\d+) Found: (\d+)/;

/** Maps a DuckDB error onto the Snowflake error a connector would see for the same failure. */
export function fromDuckdb(err: unknown): SnowflakeError {
  if (err instanceof SnowflakeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const firstLine = message.split('\n')[0] ?? message;
  const columns = COLUMN_COUNT.exec(message);
  if (columns)
    return new SnowflakeError(
      '100080',
      '22000',
      `Number of columns in file (${columns[2]}) does not match that of the corresponding table (${columns[1]}), ` +
        'use file format option error_on_column_count_mismatch=false to ignore this error',
    );
  const missing = /^Catalog Error: Table with name (.+?) does not exist/.exec(firstLine);
  if (missing) return objectMissing('Object', missing[1]!.replace(/^"|"$/g, ''));
  const exists = /^Catalog Error: Table with name (.+?) already exists/.exec(firstLine);
  if (exists) return objectExists(exists[1]!.replace(/^"|"$/g, ''));
  if (firstLine.startsWith('Catalog Error') || firstLine.startsWith('Binder Error'))
    return new SnowflakeError('000904', '42000', `SQL compilation error: ${firstLine}`);
  if (firstLine.startsWith('Parser Error')) return compilationError(`syntax error: ${firstLine}`);
  if (firstLine.startsWith('Constraint Error: NOT NULL'))
    return new SnowflakeError('100072', '22000', `NULL result in a non-nullable column (${firstLine})`);
  if (firstLine.startsWith('Constraint Error: CHECK') && firstLine.includes('length('))
    return new SnowflakeError('100074', '22000', `String is too long and would be truncated (${firstLine})`);
  if (
    firstLine.startsWith('TransactionContext Error: Catalog write-write conflict') ||
    /conflict/i.test(firstLine)
  )
    return new SnowflakeError(
      '000625',
      '57014',
      `Statement aborted: lock conflict in the fake (${firstLine})`,
    );
  if (firstLine.startsWith('TransactionContext Error'))
    return new SnowflakeError(
      '000603',
      'XX000',
      `${firstLine} (the fake runs on DuckDB: an error inside BEGIN … aborts the whole transaction; ROLLBACK)`,
    );
  if (/^(Conversion|Invalid Input|Out of Range) Error/.test(firstLine))
    return new SnowflakeError('100038', '22018', firstLine);
  return new SnowflakeError('000603', 'XX000', `SQL execution internal error: ${firstLine}`);
}
