import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import snowflake, { type Connection, type ConnectionOptions } from 'snowflake-sdk';
import type { SnowflakeFake } from './index.js';

let configured = false;

/** The real SDK, quiet: its default logger would write snowflake.log into the working directory. */
export function sdk(): typeof snowflake {
  if (!configured) {
    configured = true;
    const drop = () => undefined;
    snowflake.configure({
      logLevel: 'ERROR',
      additionalLogToConsole: false,
      customLogger: { error: drop, warn: drop, info: drop, debug: drop, trace: drop },
    });
  }
  return snowflake;
}

export const PASSWORD = 'pa55-word';

/** Connects the real SDK to the fake; a few quick statement retries keep the tests short. */
export async function connect(
  fake: SnowflakeFake,
  options: Partial<ConnectionOptions> = {},
): Promise<Connection> {
  const connection = sdk().createConnection({
    account: fake.account,
    accessUrl: fake.accessUrl,
    username: 'loader',
    password: PASSWORD,
    database: fake.database,
    schema: fake.schema,
    warehouse: 'WH',
    sfRetryMaxNumRetries: 5,
    ...options,
  } as ConnectionOptions);
  // connectAsync resolves even when login fails; only the callback sees the error.
  return new Promise((resolve, reject) => {
    connection.connect((err, conn) => (err ? reject(err) : resolve(conn)));
  });
}

export type SqlError = Error & { code?: string | number; sqlState?: string };

export function exec(
  conn: Connection,
  sqlText: string,
  binds?: (string | number | boolean | null)[],
): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      binds,
      complete: (err, _stmt, rows) =>
        err ? reject(err) : resolve((rows ?? []) as Record<string, unknown>[]),
    });
  });
}

export function destroy(conn: Connection): Promise<void> {
  return new Promise((resolve) => conn.destroy(() => resolve()));
}

/** Rejects with the SDK's error; fails if the statement succeeds. */
export async function execError(conn: Connection, sqlText: string): Promise<SqlError> {
  try {
    await exec(conn, sqlText);
  } catch (err) {
    return err as SqlError;
  }
  throw new Error(`expected "${sqlText}" to fail`);
}

export type Scratch = { dir: string; cleanup(): Promise<void> };

export async function scratchDir(): Promise<Scratch> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dxa-sf-fake-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a file with DuckDB's COPY … TO (Parquet or gzip CSV) from a SELECT. */
export async function writeWithDuckdb(
  file: string,
  select: string,
  format: 'parquet' | 'csv',
): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    const options = format === 'parquet' ? '(FORMAT parquet)' : `(FORMAT csv, HEADER true, COMPRESSION gzip)`;
    await conn.run(`COPY (${select}) TO '${file.replace(/'/g, "''")}' ${options}`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** An RSA key pair: the public key PEM for the fake, the private key written to a file for the SDK. */
export async function keyPair(dir: string): Promise<{ publicKeyPem: string; privateKeyPath: string }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const privateKeyPath = path.join(dir, 'rsa_key.p8');
  await writeFile(privateKeyPath, privateKey, { mode: 0o600 });
  return { publicKeyPem: publicKey, privateKeyPath };
}
