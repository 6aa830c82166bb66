import type { Readable } from 'node:stream';
import { AppError } from '@kiln/contracts';
import { createDataset, type DatasetSummary, getDataset, listDatasets } from '@kiln/db';
import { parseInteractions, trainableProblem } from '@kiln/ssm/data';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { limitedChunks } from '../read-body.js';
import { errorResponses, IdParams, iso } from '../schemas/common.js';
import { Dataset, DatasetCreated } from '../schemas/resources.js';
import { datasetTooSmall } from '../ssm-guards.js';
import { UploadBody, uploadContentTypes } from '../schemas/upload.js';
import { streamBodyParser } from '../stream-body.js';

const UploadQuery = z.object({
  format: z
    .enum(['sasrec', 'movielens', 'recbole', 'csv'])
    .describe('sasrec: `user item` lines in time order; movielens: ratings.dat; recbole: .inter; csv: header user,item,timestamp.'),
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
        return reply.status(201).send({ ...present(row), droppedInteractions: parsed.stats.droppedInteractions });
      },
    );
  });

  app.get(
    '/v1/datasets',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'listDatasets',
        summary: 'List datasets, newest first',
        response: { 200: z.object({ items: z.array(Dataset) }), ...errorResponses() },
      },
    },
    async () => ({ items: (await listDatasets(ctx.db)).map(present) }),
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
