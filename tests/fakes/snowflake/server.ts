import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { authenticate, badCredentials, loginData } from './auth.js';
import { SnowflakeError } from './errors.js';
import { failure, ok, queryRequest, runQuery } from './query.js';
import { closeSession, openSession, type Session } from './session.js';
import { debugLog, type Envelope, type FakeState, type FailureMode } from './state.js';

type Reply = { status: number; body: Envelope | { error: string } } | 'drop';

/** Login parameters name objects like SQL does: unquoted → upper case, "quoted" → as is. */
function identifierParam(value: string | null): string | undefined {
  if (value === null || value === '') return undefined;
  return /^".*"$/.test(value) ? value.slice(1, -1).replace(/""/g, '"') : value.toUpperCase();
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let raw = Buffer.concat(chunks);
  if (raw.length === 0) return undefined;
  if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
  return JSON.parse(raw.toString('utf8'));
}

function tokenOf(req: IncomingMessage): string | undefined {
  return /Snowflake Token="([^"]*)"/.exec(req.headers.authorization ?? '')?.[1];
}

const INVALID_TOKEN: Reply = {
  status: 401,
  body: { success: false, code: '390104', message: 'Session token invalid or expired.', data: null },
};

async function login(state: FakeState, url: URL, body: unknown): Promise<Reply> {
  const data = loginData(body);
  let user: string;
  try {
    user = authenticate(state.options, data);
  } catch (err) {
    return { status: 200, body: failure(err instanceof SnowflakeError ? err : badCredentials()) };
  }
  const tag = data.SESSION_PARAMETERS?.QUERY_TAG;
  const session = await openSession(state.engine, {
    user,
    database: identifierParam(url.searchParams.get('databaseName')) ?? state.options.database,
    schema: identifierParam(url.searchParams.get('schemaName')) ?? state.options.schema,
    warehouse: identifierParam(url.searchParams.get('warehouse')),
    role: identifierParam(url.searchParams.get('roleName')),
    queryTag: typeof tag === 'string' ? tag : undefined,
  });
  state.sessions.set(session.token, session);
  return {
    status: 200,
    body: ok({
      token: session.token,
      masterToken: session.masterToken,
      validityInSeconds: 3600,
      masterValidityInSeconds: 14400,
      sessionId: session.id,
      parameters: [{ name: 'TIMEZONE', value: 'UTC' }],
      sessionInfo: {
        databaseName: session.database,
        schemaName: session.schema,
        warehouseName: session.warehouse ?? null,
        roleName: session.role ?? 'PUBLIC',
      },
    }),
  };
}

function takeFailure(state: FakeState, sqlText: string): FailureMode | undefined {
  const index = state.failures.findIndex((f) => f.matcher.test(sqlText));
  if (index < 0) return undefined;
  const scheduled = state.failures[index]!;
  if (--scheduled.remaining <= 0) state.failures.splice(index, 1);
  return scheduled.how;
}

async function query(state: FakeState, session: Session, url: URL, body: unknown): Promise<Reply> {
  const request = queryRequest(body);
  if (!request)
    return {
      status: 200,
      body: failure(new SnowflakeError('000900', '42000', 'SQL compilation error: missing sqlText')),
    };
  const requestId = url.searchParams.get('requestId') ?? undefined;
  const retried = requestId !== undefined && state.byRequestId.has(requestId);
  const how = retried ? undefined : takeFailure(state, request.sqlText);
  if (how !== undefined && how !== 'drop-after') {
    const injected = how === 'drop' ? 'drop' : 'httpStatus' in how ? 'http-status' : 'error';
    const queryTag = request.queryTag ?? session.queryTag;
    state.queries.push({
      sqlText: request.sqlText,
      queryTag,
      sessionId: session.id,
      requestId,
      queryId: '',
      injected,
    });
    if (how === 'drop') return 'drop';
    if ('httpStatus' in how) return { status: how.httpStatus, body: { error: 'injected by failNext' } };
    return { status: 200, body: failure(new SnowflakeError(how.code, how.sqlState ?? '57014', how.message)) };
  }
  const answer = await runQuery(state, session, request, requestId);
  return how === 'drop-after' ? 'drop' : { status: 200, body: answer };
}

async function route(state: FakeState, req: IncomingMessage, url: URL): Promise<Reply> {
  const body = await readBody(req);
  const p = url.pathname;
  if (p === '/session/v1/login-request') return login(state, url, body);
  if (p === '/session/token-request') {
    const session = [...state.sessions.values()].find((s) => s.masterToken === tokenOf(req));
    if (!session) return INVALID_TOKEN;
    return {
      status: 200,
      body: ok({
        sessionToken: session.token,
        validityInSecondsST: 3600,
        masterToken: session.masterToken,
        validityInSecondsMT: 14400,
      }),
    };
  }
  const session = state.sessions.get(tokenOf(req) ?? '');
  if (!session) return INVALID_TOKEN;
  if (p === '/queries/v1/query-request') return query(state, session, url, body);
  if (p === '/session' && url.searchParams.get('delete') === 'true') {
    state.sessions.delete(session.token);
    await closeSession(session);
    return { status: 200, body: ok(null) };
  }
  if (p === '/session/heartbeat' || p === '/telemetry/send' || /^\/queries\/[^/]+\/abort-request$/.test(p))
    return { status: 200, body: ok(null) };
  const result = /^\/queries\/([^/]+)\/result$/.exec(p);
  if (result) {
    const envelope = state.byQueryId.get(result[1]!);
    if (envelope) return { status: 200, body: envelope };
    return {
      status: 200,
      body: failure(new SnowflakeError('000709', '02000', `Statement ${result[1]} not found`)),
    };
  }
  const monitoring = /^\/monitoring\/queries\/([^/]+)$/.exec(p);
  if (monitoring) {
    const envelope = state.byQueryId.get(monitoring[1]!);
    const status = envelope === undefined ? 'RUNNING' : envelope.success ? 'SUCCESS' : 'FAILED_WITH_ERROR';
    return { status: 200, body: ok({ queries: [{ id: monitoring[1], status }] }) };
  }
  debugLog(state, `unknown endpoint ${req.method ?? ''} ${p}`);
  return { status: 404, body: { error: `unknown endpoint ${p} (not implemented by the fake)` } };
}

/** The HTTP side: listens on 127.0.0.1, and can stop (resetting open connections) and listen again. */
export class FakeHttpServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port: number;

  constructor(
    private readonly state: FakeState,
    port: number,
  ) {
    this.port = port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let reply: Reply;
    try {
      reply = await route(this.state, req, url);
    } catch (err) {
      debugLog(this.state, `internal error on ${url.pathname}: ${String(err)}`);
      reply = { status: 500, body: { error: 'internal error in the Snowflake fake' } };
    }
    if (reply === 'drop') {
      req.socket.destroy();
      return;
    }
    const payload = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address !== null && typeof address === 'object') this.port = address.port;
    this.server = server;
  }

  /** Closes the listener and resets every open connection (requests in flight see ECONNRESET). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }
}
