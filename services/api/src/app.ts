import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { createDb, createSqlPool } from '@kiln/db';
import { KilnQueues } from '@kiln/queue';
import { z } from 'zod';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiContext } from './context.js';
import { ExistsCache } from './exists-cache.js';
import { GroupCommit } from './group-commit.js';
import { errorHandler } from './http-errors.js';
import { transformObject } from './openapi.js';
import { datasetRoutes } from './routes/datasets.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { queueRoutes } from './routes/queues.js';
import { quboRoutes } from './routes/qubo.js';
import { UploadBody } from './schemas/upload.js';

/**
 * Fastify's request lines at debug instead of info: a line per request costs more than the request
 * itself at thousands of submits a second (issue 10). Failed requests are still logged at error
 * (the error handler logs every 5xx with its cause).
 */
class RequestsAtDebug extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, _request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ err: error, statusCode: reply.statusCode, ms: reply.elapsedTime }, 'request errored');
    else reply.log.debug({ statusCode: reply.statusCode, ms: reply.elapsedTime }, 'request completed');
  }
}

function headerValidator(schema: z.ZodObject) {
  const declared = Object.entries(schema.shape as Record<string, z.ZodType>);
  return (data: unknown) => {
    const headers = data as Record<string, unknown>;
    for (const [name, check] of declared) {
      const r = check.safeParse(headers[name]);
      if (!r.success) {
        // The shape the zod provider gives its own failures, so the error handler names the field the same way.
        const error = r.error.issues.map((i) => ({
          [Symbol.for('ZodFastifySchemaValidationError')]: true,
          keyword: i.code,
          instancePath: `/${[name, ...i.path].join('/')}`,
          schemaPath: `#/${name}/${i.code}`,
          message: i.message,
          params: {},
        }));
        return { error: error as unknown as Error };
      }
    }
    return { value: headers };
  };
}

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
    logController: new RequestsAtDebug(),
  }).withTypeProvider<ZodTypeProvider>();
  // Every route declares its schemas in zod (the zod type provider): they validate requests (a
  // failure is a 400 naming each field), serialise responses and make the OpenAPI document.
  // Uploads are streamed: their body schema only documents them.
  app.setValidatorCompiler((route) => {
    if (route.schema === UploadBody) return (data: unknown) => ({ value: data });
    // Headers: check the declared ones in place, without copying every header of every request.
    if (route.httpPart === 'headers' && route.schema instanceof z.ZodObject) return headerValidator(route.schema);
    return validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);
  });
  app.setSerializerCompiler(serializerCompiler);
  const sql = createSqlPool({ url: options.databaseUrl });
  const queues = new KilnQueues({ redisUrl: options.redisUrl, prefix: options.queuePrefix ?? 'kiln' });
  const ctx: ApiContext = {
    db: createDb({ url: options.databaseUrl }),
    sql,
    queues,
    commits: new GroupCommit(sql, queues),
    exists: new ExistsCache(),
    limits: {
      uploadBytes: options.uploadLimitBytes ?? 256 << 20,
      quboMaxN: options.quboMaxN ?? 100_000,
      quboMaxTerms: options.quboMaxTerms ?? 5_000_000,
    },
  };
  app.addHook('onClose', async () => {
    await ctx.queues.close();
    await ctx.db.$disconnect();
    await ctx.sql.end();
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'KILN_ERR_NOT_FOUND', message: `no route ${req.method} ${req.url}` } });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kiln API',
        version: '0.1.0',
        description:
          'Submit Mamba4Rec training and scoring jobs and QUBO annealing jobs; read their results. Errors are `{ error: { code, message, details? } }` (docs/errors.md).',
        license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
      },
      servers: [{ url: '/' }],
      // No authentication yet: every operation is open (declared, so clients and linters know).
      security: [],
      tags: [
        { name: 'jobs', description: 'Submit, watch, cancel and retry jobs of every kind.' },
        { name: 'datasets', description: 'Interaction logs for training.' },
        { name: 'ssm', description: 'Mamba4Rec models, training epochs and recommendations.' },
        { name: 'qubo', description: 'QUBO problems and the solutions found.' },
        { name: 'queues', description: 'The BullMQ queues behind the job kinds.' },
        { name: 'health', description: 'Liveness, readiness and metrics.' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const routes = { ctx };
  await app.register(healthRoutes, routes);
  await app.register(metricsRoutes, routes);
  await app.register(datasetRoutes, routes);
  await app.register(quboRoutes, routes);
  await app.register(jobRoutes, routes);
  await app.register(modelRoutes, routes);
  await app.register(queueRoutes, routes);
  return app;
}
