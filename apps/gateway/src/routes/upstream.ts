import { Router, type RequestHandler } from 'express';
import type { GatewayDeps } from '../deps.js';
import { jsonBody } from '../middleware/json-body.js';
import { taskToJobBody } from '../services/upstream-task.js';

/** The upstream agent's routes, kept so existing scripts keep working. State changes accept GET too. */
export function upstreamRouter(deps: GatewayDeps): Router {
  const router = Router();
  const { queues } = deps;

  router.post('/tasks', jsonBody, async (req, res) => {
    const { id } = await deps.jobs.submit(taskToJobBody(req.body));
    res.json({ message: 'Task added successfully', id_task: id });
  });

  const start: RequestHandler = async (_req, res) => {
    await queues.resumeAll();
    res.json({ message: 'Task manager started' });
  };
  const stop: RequestHandler = async (_req, res) => {
    await queues.pauseAll();
    res.json({ message: 'Task manager stopped' });
  };
  router.route('/handle_tasks').get(start).post(start);
  router.route('/stop').get(stop).post(stop);

  router.get('/get_handling_tasks_status', async (_req, res) => {
    res.json({ handling_tasks: await queues.isHandling() });
  });
  router.get('/get_tasks_count', async (_req, res) => {
    res.json({ tasks_count: (await queues.counts()).waiting });
  });
  router.get('/tasks_processed', async (_req, res) => {
    res.json({ tasks_processed: (await queues.counts()).completed });
  });
  return router;
}
