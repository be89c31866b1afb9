import { randomUUID } from 'node:crypto';
import { fromDuckdb, SnowflakeError } from './errors.js';
import type { StatementResult } from './results.js';
import { execute } from './router.js';
import { noteFailure, serialize, type Session } from './session.js';
import type { Binding } from './sql-text.js';
import { debugLog, type Envelope, type FakeState, type RecordedQuery } from './state.js';

/** Result-format parameters the SDK reads per column (`connection/result/column.js`). */
const RESULT_PARAMETERS = [
  { name: 'TIMEZONE', value: 'UTC' },
  { name: 'BINARY_OUTPUT_FORMAT', value: 'HEX' },
  { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
  { name: 'TIME_OUTPUT_FORMAT', value: 'HH24:MI:SS' },
  { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
  { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
];

export function ok(data: unknown): Envelope {
  return { success: true, code: null, message: null, data };
}

export function failure(err: SnowflakeError, queryId?: string): Envelope {
  return {
    success: false,
    code: err.code,
    message: err.message,
    data: { sqlState: err.sqlState, errorCode: err.code, queryId, internalError: false, age: 0 },
  };
}

function resultData(session: Session, queryId: string, result: StatementResult): unknown {
  if (result.kind === 'file-transfer') return { ...result.data, queryId, parameters: RESULT_PARAMETERS };
  return {
    parameters: RESULT_PARAMETERS,
    rowtype: result.columns,
    rowset: result.rows,
    total: result.rows.length,
    returned: result.rows.length,
    queryId,
    databaseProvider: null,
    finalDatabaseName: session.database,
    finalSchemaName: session.schema,
    finalWarehouseName: session.warehouse ?? null,
    finalRoleName: session.role ?? 'PUBLIC',
    numberOfBinds: 0,
    arrayBindSupported: false,
    statementTypeId: result.statementTypeId,
    version: 1,
    sendResultTime: Date.now(),
    queryResultFormat: 'json',
  };
}

export type QueryRequest = {
  sqlText: string;
  bindings: Record<string, Binding> | undefined;
  queryTag: string | undefined;
};

/** Reads `/queries/v1/query-request`'s body defensively (it comes from the client). */
export function queryRequest(body: unknown): QueryRequest | undefined {
  const b = body as { sqlText?: unknown; bindings?: unknown; parameters?: unknown } | null;
  if (typeof b?.sqlText !== 'string') return undefined;
  const bindings =
    typeof b.bindings === 'object' && b.bindings !== null
      ? (b.bindings as Record<string, Binding>)
      : undefined;
  const tag = (b.parameters as { QUERY_TAG?: unknown } | undefined)?.QUERY_TAG;
  return { sqlText: b.sqlText, bindings, queryTag: typeof tag === 'string' ? tag : undefined };
}

const KEEP_RESULTS = 32;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.set(key, value);
  while (map.size > KEEP_RESULTS) map.delete(map.keys().next().value as K);
}

/**
 * Runs one statement for a session. A retried request (same requestId, e.g. after a dropped
 * connection) gets the first execution's answer instead of running again, as on Snowflake.
 */
export function runQuery(
  state: FakeState,
  session: Session,
  request: QueryRequest,
  requestId: string | undefined,
): Promise<Envelope> {
  const earlier = requestId === undefined ? undefined : state.byRequestId.get(requestId);
  if (earlier) return earlier;
  const queryId = randomUUID();
  const record: RecordedQuery = {
    sqlText: request.sqlText,
    queryTag: request.queryTag ?? session.queryTag,
    sessionId: session.id,
    requestId,
    queryId,
  };
  state.queries.push(record);
  const answer = serialize(session, async (): Promise<Envelope> => {
    try {
      const result = await execute({ state, session, queryId }, request.sqlText, request.bindings);
      return ok(resultData(session, queryId, result));
    } catch (err) {
      await noteFailure(session);
      const mapped = fromDuckdb(err);
      if (!(err instanceof SnowflakeError))
        debugLog(state, `DuckDB error for ${request.sqlText}: ${String(err)}`);
      record.errorCode = mapped.code;
      return failure(mapped, queryId);
    }
  });
  if (requestId !== undefined) remember(state.byRequestId, requestId, answer);
  void answer.then((envelope) => remember(state.byQueryId, queryId, envelope));
  return answer;
}
