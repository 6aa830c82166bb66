import { AppError } from '@kiln/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { errorResponses } from '../schemas/common.js';
import { QueueInfo } from '../schemas/resources.js';

export const queueRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/queues',
    {
      schema: {
        tags: ['queues'],
        operationId: 'listQueues',
        summary: 'Each queue with its job counts per state',
        response: { 200: z.object({ items: z.array(QueueInfo) }), ...errorResponses() },
      },
    },
    async () => ({ items: await ctx.queues.info() }),
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `/v1/queues/:name/${action}`,
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['queues'],
          operationId: `${action}Queue`,
          summary: `${action === 'pause' ? 'Pause' : 'Resume'} a queue (workers ${action === 'pause' ? 'stop' : 'start'} taking its jobs)`,
          params: z.object({ name: z.string().min(1).max(100) }),
          response: { 200: z.object({ name: z.string(), paused: z.boolean() }), ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        const { name } = req.params;
        const kind = ctx.queues.kindOfQueue(name);
        if (!kind) throw new AppError('KILN_ERR_NOT_FOUND', `no queue ${name}`);
        const queue = ctx.queues.queue(kind);
        if (action === 'pause') await queue.pause();
        else await queue.resume();
        return { name, paused: await queue.isPaused() };
      },
    );
  }
};
