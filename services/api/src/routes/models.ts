import { AppError } from '@kiln/contracts';
import { getModel, listModels } from '@kiln/db';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { parseOr400 } from '../http-errors.js';

export function modelRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/models', { schema: { tags: ['ssm'], summary: 'Trained models with their metrics' } }, async (req) => {
    const q = parseOr400(z.object({ datasetId: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }), req.query, 'query');
    return { items: await listModels(ctx.db, q) };
  });

  app.get('/v1/models/:id', { schema: { tags: ['ssm'], summary: 'One model with its per-epoch metrics' } }, async (req) => {
    const { id } = parseOr400(z.object({ id: z.string() }), req.params, 'params');
    const m = await getModel(ctx.db, id);
    if (!m) throw new AppError('KILN_ERR_NOT_FOUND', `no model ${id}`);
    return m;
  });
}
