import { Router } from 'express';
import { z } from 'zod';
import { JobState } from '@dxa/contracts';
import { AppError } from '@dxa/errors';
import { MAX_LIST_LIMIT } from '@dxa/queue';
import type { GatewayDeps } from '../deps.js';
import { jsonBody } from '../middleware/json-body.js';
import { issueDetails } from '../services/spec-validation.js';

const ListQuery = z.object({
  state: JobState.optional(),
  affinity: z.string().min(1).max(63).optional(),
  // Larger limits are clamped rather than refused: `dxa jobs --limit 1000` should still work.
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(50)
    .transform((n) => Math.min(n, MAX_LIST_LIMIT)),
});

export function jobsRouter(deps: GatewayDeps): Router {
  const router = Router();
  const { jobs } = deps;

  router.post('/v1/jobs', jsonBody, async (req, res) => {
    const created = await jobs.submit(req.body);
    res.status(202).location(`/v1/jobs/${created.id}`).json(created);
  });

  router.get('/v1/jobs', async (req, res) => {
    const query = ListQuery.safeParse(req.query);
    if (!query.success) {
      const details = issueDetails(query.error.issues);
      throw new AppError(
        'BAD_REQUEST',
        `invalid query: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
        details,
      );
    }
    res.json({ jobs: await jobs.list(query.data) });
  });

  router.get('/v1/jobs/:id', async (req, res) => {
    res.json(await jobs.view(req.params.id));
  });

  router.delete('/v1/jobs/:id', async (req, res) => {
    const { accepted, view } = await jobs.cancel(req.params.id);
    res.status(accepted ? 202 : 200).json(view);
  });

  return router;
}
