import { Router } from 'express';
import type { GatewayDeps } from '../deps.js';
import { mergeExpositions } from '../services/metrics.js';
import { withRedisTimeout } from '../services/timeout.js';

/** Queue gauges are best effort: without Redis the process metrics are still served. */
async function queueMetrics(deps: GatewayDeps): Promise<string> {
  if (deps.redis.status !== 'ready') return '';
  try {
    const queues = await withRedisTimeout(deps.queues.known(), 'list queues', 2_000);
    const texts = await withRedisTimeout(
      Promise.all(queues.map((q) => q.exportPrometheusMetrics())),
      'queue metrics',
      2_000,
    );
    return mergeExpositions(texts);
  } catch (err) {
    deps.logger.warn('queue metrics unavailable', { error: String(err) });
    return '';
  }
}

export function metricsRouter(deps: GatewayDeps): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const [own, queues] = await Promise.all([deps.metrics.registry.metrics(), queueMetrics(deps)]);
    res
      .set('Content-Type', deps.metrics.registry.contentType)
      .send(`${own}${own.endsWith('\n') ? '' : '\n'}${queues}`);
  });
  return router;
}
