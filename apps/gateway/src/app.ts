import express, { type Express } from 'express';
import type { GatewayDeps } from './deps.js';
import { requireApiKey } from './middleware/auth.js';
import { errorHandler, notFound } from './middleware/error-handler.js';
import { requestMetrics } from './middleware/request-metrics.js';
import { requireRedis } from './middleware/require-redis.js';
import { healthRouter } from './routes/health.js';
import { jobEventsRouter } from './routes/job-events.js';
import { jobsRouter } from './routes/jobs.js';
import { metricsRouter } from './routes/metrics.js';
import { upstreamRouter } from './routes/upstream.js';
import { workersRouter } from './routes/workers.js';

/** The gateway's Express app without `listen()`, so tests can drive it with supertest. */
export function buildApp(deps: GatewayDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestMetrics(deps.metrics));

  app.use(healthRouter(deps));
  const key = deps.config.task_source.api.key;
  if (key) app.use(requireApiKey(key));
  app.use(metricsRouter(deps));

  const needsRedis = requireRedis(deps.redis);
  app.use(
    [
      '/v1',
      '/tasks',
      '/handle_tasks',
      '/stop',
      '/get_handling_tasks_status',
      '/get_tasks_count',
      '/tasks_processed',
    ],
    needsRedis,
  );
  app.use(jobEventsRouter(deps));
  app.use(jobsRouter(deps));
  app.use(workersRouter(deps));
  app.use(upstreamRouter(deps));

  app.use(notFound);
  app.use(errorHandler(deps));
  return app;
}
