import type { Readable } from 'node:stream';
import { AppError } from '@kiln/contracts';
import { createDataset, type DatasetSummary, deleteDataset, getDataset, listDatasets, modelsOfDataset, unfinishedJobsReferencing } from '@kiln/db';
import { parseInteractions, trainableProblem } from '@kiln/ssm/data';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { afterCursor, locationOf, Paged, pageOf, pageQuery } from '../paging.js';
import { limitedChunks } from '../read-body.js';
import { errorResponses, IdParams, iso } from '../schemas/common.js';
import { Dataset, DatasetCreated } from '../schemas/resources.js';
import { inUse } from '../in-use.js';
import { datasetTooSmall } from '../ssm-guards.js';
import { UploadBody, uploadContentTypes } from '../schemas/upload.js';
import { streamBodyParser } from '../stream-body.js';

const UploadQuery = z.object({
  format: z
    .enum(['sasrec', 'seq', 'movielens', 'recbole', 'csv'])
    .describe(
      "sasrec: `user item` lines in time order; seq: one user per line, `user item item ...` in time order (S3Rec's Amazon files); movielens: ratings.dat; recbole: .inter; csv: header user,item,timestamp.",
    ),
  name: z.string().min(1).max(200),
  kcore: z.coerce.number().int().min(0).max(1000).default(5).describe('Drop users and items with fewer interactions, repeatedly (0: keep all).'),
});

const present = (row: DatasetSummary) => ({ ...row, createdAt: iso(row.createdAt) });

export const datasetRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  await app.register(async (scope) => {
    streamBodyParser(scope);
    scope.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>().post(
      '/v1/datasets',
      {
        schema: {
          tags: ['datasets'],
          operationId: 'uploadDataset',
          summary: 'Upload an interaction log',
          description:
            'The file is the raw request body, streamed and parsed line by line; nothing is stored unless every line parses and, after the k-core filter, leave-one-out can split it (at least 2 users with ≥ 3 interactions and one training target: else 400 KILN_ERR_DATASET_TOO_SMALL).',
          consumes: uploadContentTypes,
          querystring: UploadQuery,
          body: UploadBody,
          response: { 201: DatasetCreated, ...errorResponses(400, 413) },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const parsed = await parseInteractions(limitedChunks(req.body as unknown as Readable, ctx.limits.uploadBytes), { format: q.format, kcore: q.kcore });
        // Refused before anything is stored: a dataset leave-one-out cannot split would only fail its training jobs.
        const tooSmall = trainableProblem(parsed.sequences.map((s) => s.length));
        if (tooSmall) throw datasetTooSmall(tooSmall);
        const row = await createDataset(ctx.db, {
          name: q.name,
          format: q.format,
          kcore: q.kcore,
          users: parsed.users,
          items: parsed.items,
          sequences: parsed.sequences,
          rawInteractions: parsed.stats.rawInteractions,
        });
        return reply
          .status(201)
          .header('location', locationOf('/v1/datasets', row.id))
          .send({ ...present(row), droppedInteractions: parsed.stats.droppedInteractions });
      },
    );
  });

  app.get(
    '/v1/datasets',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'listDatasets',
        summary: 'List datasets, newest first (paged: follow `next`)',
        querystring: z.object(pageQuery(100)),
        response: { 200: Paged(Dataset), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const { limit } = req.query;
      const rows = await listDatasets(ctx.db, { limit: limit + 1, ...afterCursor(req.query.cursor) });
      return pageOf(req, reply, rows, limit, present);
    },
  );

  app.delete(
    '/v1/datasets/:id',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'deleteDataset',
        summary: 'Delete a dataset',
        description:
          'Refused with 409 KILN_ERR_IN_USE while a model trained on it or an unfinished training job uses it (`details` names them): delete those models first, or wait for (or cancel) those jobs.',
        params: IdParams,
        response: { 204: z.void().describe('Deleted.'), ...errorResponses(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      if (!(await getDataset(ctx.db, id))) throw new AppError('KILN_ERR_NOT_FOUND', `no dataset ${id}`);
      const [models, jobs] = await Promise.all([modelsOfDataset(ctx.db, id), unfinishedJobsReferencing(ctx.db, 'datasetId', id)]);
      if (models.length > 0 || jobs.length > 0) throw inUse('dataset', id, { models, jobs });
      try {
        if (!(await deleteDataset(ctx.db, id))) throw new AppError('KILN_ERR_NOT_FOUND', `no dataset ${id}`);
      } catch (error) {
        // A model written since the check (its foreign key restricts the delete).
        if ((error as { code?: string }).code === 'P2003') throw inUse('dataset', id, { models: await modelsOfDataset(ctx.db, id), jobs: [] });
        throw error;
      }
      return reply.status(204).send();
    },
  );

  app.get(
    '/v1/datasets/:id',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'getDataset',
        summary: 'One dataset with its stats',
        params: IdParams,
        response: { 200: Dataset, ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const row = await getDataset(ctx.db, req.params.id);
      if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no dataset ${req.params.id}`);
      return present(row);
    },
  );
};
