import { Router, type Response } from 'express';
import type { GatewayDeps } from '../deps.js';
import { watchJob, type EventSink } from '../services/job-watch.js';

function sseSink(res: Response): EventSink {
  const write = (chunk: string): void => {
    if (!res.writableEnded) res.write(chunk);
  };
  return {
    send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    comment: (text) => write(`: ${text}\n\n`),
    end: () => {
      if (!res.writableEnded) res.end();
    },
  };
}

/** `GET /v1/jobs/:id/events`: server-sent events until the job ends or the client leaves. */
export function jobEventsRouter(deps: GatewayDeps): Router {
  const router = Router();
  router.get('/v1/jobs/:id/events', async (req, res) => {
    const record = await deps.jobs.record(req.params.id);
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // nginx would otherwise hold events back
    });
    res.flushHeaders();
    const sink = sseSink(res);
    const stop = watchJob({ ...deps, ...deps.watch }, record, sink);
    const close = (): void => {
      stop();
      sink.end();
      deps.streams.delete(close);
    };
    deps.streams.add(close);
    res.on('close', close);
  });
  return router;
}
