import { AppError } from '@kiln/contracts';
import { createDataset, getDataset, listDatasets } from '@kiln/db';
import { parseInteractions } from '@kiln/ssm/data';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { parseOr400 } from '../http-errors.js';
import { limitedChunks } from '../read-body.js';
import { streamBodyParser } from '../stream-body.js';

const UploadQuery = z.object({
  format: z.enum(['sasrec', 'movielens', 'recbole', 'csv']),
  name: z.string().min(1).max(200),
  kcore: z.coerce.number().int().min(0).max(1000).default(5),
});

export function datasetRoutes(app: FastifyInstance, ctx: ApiContext): void {
  void app.register(async (scope) => {
    streamBodyParser(scope);
    scope.post(
      '/v1/datasets',
      { schema: { tags: ['datasets'], summary: 'Upload an interaction log as the raw request body (sasrec, movielens, recbole, csv)' } },
      async (req, reply) => {
        const q = parseOr400(UploadQuery, req.query, 'query');
        const parsed = await parseInteractions(limitedChunks(req.body as Readable, ctx.limits.uploadBytes), { format: q.format, kcore: q.kcore });
        const row = await createDataset(ctx.db, {
          name: q.name,
          format: q.format,
          kcore: q.kcore,
          users: parsed.users,
          items: parsed.items,
          sequences: parsed.sequences,
          rawInteractions: parsed.stats.rawInteractions,
        });
        return reply.status(201).send({ ...row, droppedInteractions: parsed.stats.droppedInteractions });
      },
    );
  });

  app.get('/v1/datasets', { schema: { tags: ['datasets'], summary: 'List datasets' } }, async () => ({ items: await listDatasets(ctx.db) }));

  app.get('/v1/datasets/:id', { schema: { tags: ['datasets'], summary: 'One dataset with its stats' } }, async (req) => {
    const { id } = parseOr400(z.object({ id: z.string() }), req.params, 'params');
    const row = await getDataset(ctx.db, id);
    if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no dataset ${id}`);
    return row;
  });
}
