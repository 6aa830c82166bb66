import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { createDb } from '@kiln/db';
import { KilnQueues } from '@kiln/queue';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiContext } from './context.js';
import { errorHandler } from './http-errors.js';
import { datasetRoutes } from './routes/datasets.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { queueRoutes } from './routes/queues.js';
import { quboRoutes } from './routes/qubo.js';

export interface ApiOptions {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix?: string;
  /** pino options, or false for no logs (tests). */
  logger?: boolean | { level: string };
  bodyLimitBytes?: number;
  uploadLimitBytes?: number;
  quboMaxN?: number;
  quboMaxTerms?: number;
}

/** Builds the producer API (not listening). `app.close()` closes its Postgres and Redis connections. */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === undefined ? false : options.logger === true ? { level: 'info' } : options.logger,
    bodyLimit: options.bodyLimitBytes ?? 1 << 20,
    // Route schemas document the API (OpenAPI); zod validates, so messages name the fields.
    ajv: { customOptions: { strict: false } },
  });
  app.setValidatorCompiler(() => () => true);
  const ctx: ApiContext = {
    db: createDb({ url: options.databaseUrl }),
    queues: new KilnQueues({ redisUrl: options.redisUrl, prefix: options.queuePrefix ?? 'kiln' }),
    limits: {
      uploadBytes: options.uploadLimitBytes ?? 256 << 20,
      quboMaxN: options.quboMaxN ?? 100_000,
      quboMaxTerms: options.quboMaxTerms ?? 5_000_000,
    },
  };
  app.addHook('onClose', async () => {
    await ctx.queues.close();
    await ctx.db.$disconnect();
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'KILN_ERR_NOT_FOUND', message: `no route ${req.method} ${req.url}` } });
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Kiln API', version: '0.1.0', description: 'Submit Mamba4Rec training and scoring jobs and QUBO annealing jobs; read their results.' },
      tags: [{ name: 'jobs' }, { name: 'datasets' }, { name: 'ssm' }, { name: 'qubo' }, { name: 'queues' }, { name: 'health' }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  healthRoutes(app, ctx);
  metricsRoutes(app, ctx);
  datasetRoutes(app, ctx);
  quboRoutes(app, ctx);
  jobRoutes(app, ctx);
  modelRoutes(app, ctx);
  queueRoutes(app, ctx);
  return app;
}
