import { AppError } from '@kiln/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { parseOr400 } from '../http-errors.js';

export function queueRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/queues', { schema: { tags: ['queues'], summary: 'Each queue with its job counts per state' } }, async () => ({
    items: await ctx.queues.info(),
  }));

  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `/v1/queues/:name/${action}`,
      { schema: { tags: ['queues'], summary: `${action === 'pause' ? 'Pause' : 'Resume'} a queue (workers stop / start taking its jobs)` } },
      async (req) => {
        const { name } = parseOr400(z.object({ name: z.string() }), req.params, 'params');
        const kind = ctx.queues.kindOfQueue(name);
        if (!kind) throw new AppError('KILN_ERR_NOT_FOUND', `no queue ${name}`);
        const queue = ctx.queues.queue(kind);
        if (action === 'pause') await queue.pause();
        else await queue.resume();
        return { name, paused: await queue.isPaused() };
      },
    );
  }
}
