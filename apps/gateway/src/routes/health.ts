import { Router } from 'express';
import { AppError } from '@dxa/errors';
import type { GatewayDeps } from '../deps.js';
import { healthReport, redisReachable } from '../services/health.js';

/** Unauthenticated: load balancers and Kubernetes probes call these. */
export function healthRouter(deps: GatewayDeps): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const report = await healthReport(deps.redis, deps.registry);
    res.status(report.healthy ? 200 : 503).json(report.body);
  });
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (!(await redisReachable(deps.redis))) throw new AppError('UNAVAILABLE', 'Redis is unreachable');
    res.json({ status: 'ready', redis: 'connected' });
  });
  return router;
}
