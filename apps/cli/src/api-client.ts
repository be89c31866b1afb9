import { z } from 'zod';
import { JobView, WorkerInfo, type JobSpecInput } from '@dxa/contracts';

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()).optional() }),
});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type GatewayClientOptions = { baseUrl: string; apiKey?: string | undefined };

/** Thin typed client of the gateway's REST API (CONTRACT §4), used by the CLI and the demo. */
export class GatewayClient {
  private readonly baseUrl: string;
  constructor(private readonly options: GatewayClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.options.apiKey ? { ...extra, authorization: `Bearer ${this.options.apiKey}` } : extra;
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    } catch (err) {
      const reason = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new ApiError(0, 'UNAVAILABLE', `cannot reach the gateway at ${this.baseUrl} (${reason})`);
    }
    const text = await res.text();
    const json: unknown = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const parsed = ErrorBody.safeParse(json);
      if (parsed.success) {
        const { code, message, details } = parsed.data.error;
        throw new ApiError(res.status, code, message, details ?? []);
      }
      throw new ApiError(res.status, 'HTTP_ERROR', `gateway answered ${res.status} ${res.statusText}`);
    }
    return json;
  }

  async submit(spec: JobSpecInput | string): Promise<{ id: string; state: string; affinity: string }> {
    const out = await this.request('POST', '/v1/jobs', spec);
    return z.object({ id: z.string(), state: z.string(), affinity: z.string() }).parse(out);
  }

  async get(id: string): Promise<JobView> {
    return JobView.parse(await this.request('GET', `/v1/jobs/${encodeURIComponent(id)}`));
  }

  async cancel(id: string): Promise<JobView> {
    return JobView.parse(await this.request('DELETE', `/v1/jobs/${encodeURIComponent(id)}`));
  }

  async list(query: { state?: string; affinity?: string; limit?: number }): Promise<JobView[]> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const out = await this.request('GET', `/v1/jobs?${params.toString()}`);
    const body = z.union([z.array(JobView), z.object({ jobs: z.array(JobView) })]).parse(out);
    return Array.isArray(body) ? body : body.jobs;
  }

  async workers(): Promise<WorkerInfo[]> {
    const out = await this.request('GET', '/v1/workers');
    const body = z.union([z.array(WorkerInfo), z.object({ workers: z.array(WorkerInfo) })]).parse(out);
    return Array.isArray(body) ? body : body.workers;
  }

  /** Yields server-sent events of one job until the stream ends. */
  async *events(id: string, signal?: AbortSignal): AsyncGenerator<{ event: string; data: unknown }> {
    const res = await fetch(`${this.baseUrl}/v1/jobs/${encodeURIComponent(id)}/events`, {
      headers: this.headers({ accept: 'text/event-stream' }),
      ...(signal ? { signal } : {}),
    });
    if (!res.ok || !res.body)
      throw new ApiError(res.status, 'HTTP_ERROR', `event stream answered ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let sep: number;
      while ((sep = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, sep);
        buffer = buffer.slice(sep + 2);
        const parsed = parseSseBlock(block);
        if (parsed) yield parsed;
      }
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseSseBlock(block: string): { event: string; data: unknown } | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return undefined;
  const text = data.join('\n');
  return { event, data: safeJson(text) ?? text };
}
