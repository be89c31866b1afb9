import type { Request, RequestHandler } from 'express';
import type { GatewayMetrics } from '../services/metrics.js';

/** The route pattern (`/v1/jobs/:id`), never the raw path, to keep label cardinality bounded. */
function routeLabel(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : 'unmatched';
}

export function requestMetrics(metrics: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest({ method: req.method, route: routeLabel(req), status: res.statusCode }, seconds);
    });
    next();
  };
}
