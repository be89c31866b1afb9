import { Router } from 'express';
import type { GatewayDeps } from '../deps.js';

export function workersRouter(deps: GatewayDeps): Router {
  const router = Router();
  router.get('/v1/workers', async (_req, res) => {
    res.json({ workers: await deps.registry.live() });
  });
  return router;
}
