import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { publicErrorResponses } from '../schemas/common.js';

const Readiness = z.object({
  status: z.enum(['ready', 'not ready']),
  redis: z.string().describe("'ok' or 'down: <reason>'"),
  postgres: z.string().describe("'ok' or 'down: <reason>'"),
});

export const healthRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'none', rateLimit: false },
      schema: {
        tags: ['health'],
        security: [],
        operationId: 'healthz',
        summary: 'Liveness: the process answers',
        response: { 200: z.object({ status: z.literal('ok') }), ...publicErrorResponses() },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: 'none', rateLimit: false },
      schema: {
        tags: ['health'],
        security: [],
        operationId: 'readyz',
        summary: 'Readiness: Redis and Postgres answer',
        response: { ...publicErrorResponses(), 200: Readiness.describe('Ready.'), 503: Readiness.describe('Redis or Postgres does not answer.') },
      },
    },
    async (_req, reply) => {
      const check = async (f: () => Promise<unknown>) => {
        try {
          await Promise.race([f(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000).unref())]);
          return 'ok';
        } catch (error) {
          return `down: ${(error as Error).message}`;
        }
      };
      const [redis, postgres] = await Promise.all([check(() => ctx.queues.ping()), check(() => ctx.db.$queryRaw`SELECT 1`)]);
      const ready = redis === 'ok' && postgres === 'ok';
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', redis, postgres });
    },
  );
};
