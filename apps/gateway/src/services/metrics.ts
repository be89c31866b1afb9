import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type GatewayMetrics = {
  registry: Registry;
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
};

/** A registry per gateway instance (tests build several apps in one process). */
export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'dxa_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'dxa_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observeRequest({ method, route, status }, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}

/**
 * For BullMQ's per-queue texts (gauges and counters only, no histogram suffixes): concatenated they
 * repeat `# HELP`/`# TYPE` per queue, which Prometheus rejects;
 * this keeps one header per metric family and groups its samples under it.
 */
export function mergeExpositions(texts: readonly string[]): string {
  const families = new Map<string, { help?: string; type?: string; samples: string[] }>();
  const family = (name: string) => families.get(name) ?? families.set(name, { samples: [] }).get(name)!;
  for (const line of texts.flatMap((t) => t.split('\n'))) {
    const header = /^# (HELP|TYPE) (\S+)/.exec(line);
    if (header) {
      const f = family(header[2]!);
      if (header[1] === 'HELP') f.help ??= line;
      else f.type ??= line;
    } else if (line.trim() !== '' && !line.startsWith('#')) {
      family(/^[^{\s]+/.exec(line)![0]).samples.push(line);
    }
  }
  const out: string[] = [];
  for (const f of families.values()) {
    if (f.help) out.push(f.help);
    if (f.type) out.push(f.type);
    out.push(...f.samples);
  }
  return `${out.join('\n')}\n`;
}
