import { AppError } from '@kiln/contracts';
import { getModel, listModels, type ModelSummary } from '@kiln/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { errorResponses, IdParams, iso } from '../schemas/common.js';
import { Model, ModelDetail } from '../schemas/resources.js';

type ModelOut = z.infer<typeof Model>;
const present = (m: ModelSummary): ModelOut => ({
  ...m,
  config: m.config as ModelOut['config'],
  metrics: m.metrics as ModelOut['metrics'],
  createdAt: iso(m.createdAt),
});

export const modelRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/models',
    {
      schema: {
        tags: ['ssm'],
        operationId: 'listModels',
        summary: 'Trained models with their metrics, newest first',
        querystring: z.object({ datasetId: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ items: z.array(Model) }), ...errorResponses(400) },
      },
    },
    async (req) => ({ items: (await listModels(ctx.db, req.query)).map(present) }),
  );

  app.get(
    '/v1/models/:id',
    {
      schema: {
        tags: ['ssm'],
        operationId: 'getModel',
        summary: 'One model with its per-epoch metrics',
        params: IdParams,
        response: { 200: ModelDetail, ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const m = await getModel(ctx.db, req.params.id);
      if (!m) throw new AppError('KILN_ERR_NOT_FOUND', `no model ${req.params.id}`);
      return { ...present(m), epochs: m.epochs as z.infer<typeof ModelDetail>['epochs'] };
    },
  );
};
