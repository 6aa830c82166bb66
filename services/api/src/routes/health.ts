import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness: the process answers' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['health'], summary: 'Readiness: Redis and Postgres answer' } }, async (_req, reply) => {
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
  });
}
