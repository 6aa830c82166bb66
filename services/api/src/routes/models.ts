import { AppError } from '@kiln/contracts';
import { deleteModel, getModel, listModels, type ModelSummary, unfinishedJobsReferencing } from '@kiln/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { inUse } from '../in-use.js';
import { afterCursor, Paged, pageOf, pageQuery } from '../paging.js';
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
        summary: 'Trained models with their metrics, newest first (paged: follow `next`)',
        querystring: z.object({ datasetId: z.string().max(100).optional(), ...pageQuery(100) }),
        response: { 200: Paged(Model), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const { limit, datasetId } = req.query;
      const rows = await listModels(ctx.db, { limit: limit + 1, ...(datasetId ? { datasetId } : {}), ...afterCursor(req.query.cursor) });
      return pageOf(req, reply, rows, limit, present);
    },
  );

  app.delete(
    '/v1/models/:id',
    {
      schema: {
        tags: ['ssm'],
        operationId: 'deleteModel',
        summary: 'Delete a model (its weights with it)',
        description:
          'Refused with 409 KILN_ERR_IN_USE while an unfinished scoring job uses it (`details.jobs`). Recommendations already written by finished jobs stay.',
        params: IdParams,
        response: { 204: z.void().describe('Deleted.'), ...errorResponses(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      if (!(await getModel(ctx.db, id))) throw new AppError('KILN_ERR_NOT_FOUND', `no model ${id}`);
      const jobs = await unfinishedJobsReferencing(ctx.db, 'modelId', id);
      if (jobs.length > 0) throw inUse('model', id, { jobs });
      if (!(await deleteModel(ctx.db, id))) throw new AppError('KILN_ERR_NOT_FOUND', `no model ${id}`);
      ctx.exists.forget(`model:${id}`);
      // Its users' online states go with it.
      await ctx.online.dropModel(id);
      return reply.status(204).send();
    },
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
