import { AppError } from '@kiln/contracts';
import { getTune, listTunes, tuneStates } from '@kiln/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { decodeCursor, locationOf, Paged, pageOf, pageQuery } from '../paging.js';
import { errorResponses, IdParams } from '../schemas/common.js';
import { cancelTune, createTune, presentTune, Tune, TuneBody } from '../tunes/tunes.js';

const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Makes the create idempotent: the same key gives the same tune (200, `idempotent-replayed: true`).'),
});

export const tuneRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  async function tuneOr404(id: string) {
    const row = await getTune(ctx.db, id);
    if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no tune ${id}`);
    return row;
  }

  app.post(
    '/v1/tunes',
    {
      config: { auth: 'submit' },
      schema: {
        tags: ['tunes'],
        operationId: 'createTune',
        summary: 'Search hyperparameters: ssm.train trials over named fields, the best model kept',
        description:
          'Checks the search against the ssm.train contract (a field it does not know, or a value outside what it accepts, is a 400 naming `search["<field>"]`), expands it into trials (grid: the cartesian product truncated to `maxTrials`, said in `space.truncated`; random: `maxTrials` seeded draws) and prepares every trial as `POST /v1/jobs` would; nothing is written when one is refused. Each trial is then an ordinary `ssm.train` job, up to `parallelism` at once. When every trial ended, the tune completes with the trial of the highest validation NDCG@10 (`best`: its model); a failed trial is recorded and the search goes on.',
        headers: IdempotencyHeaders,
        body: TuneBody,
        response: {
          200: Tune.describe('Replayed: this Idempotency-Key already made this tune.'),
          201: Tune,
          ...errorResponses(400, 404, 409, 413),
        },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const r = await createTune(ctx, req.body, {
        ...(key ? { key: `${req.principal?.id ?? 'anonymous'}:${key}` } : {}),
        apiKeyId: req.principal?.id,
      });
      ctx.kickPipelines();
      void reply.header('location', locationOf('/v1/tunes', r.id));
      if (!r.created) void reply.header('idempotent-replayed', 'true');
      return reply.status(r.created ? 201 : 200).send(presentTune(r.tune));
    },
  );

  app.get(
    '/v1/tunes',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['tunes'],
        operationId: 'listTunes',
        summary: 'List tunes with their trials, newest first',
        querystring: z.object({
          state: z.enum(tuneStates).optional(),
          datasetId: z.string().max(100).optional().describe("Only this dataset's tunes."),
          ...pageQuery(20, 100),
        }),
        response: { 200: Paged(Tune), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const after = decodeCursor(req.query.cursor);
      const rows = await listTunes(ctx.db, {
        limit: req.query.limit,
        ...(req.query.state ? { state: req.query.state } : {}),
        ...(req.query.datasetId ? { datasetId: req.query.datasetId } : {}),
        ...(after ? { after } : {}),
      });
      return pageOf(req, reply, rows, req.query.limit, presentTune);
    },
  );

  app.get(
    '/v1/tunes/:id',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['tunes'],
        operationId: 'getTune',
        summary: 'A tune: its trials (params, job, state, validation NDCG@10, test metrics, model) and the best one',
        params: IdParams,
        response: { 200: Tune, ...errorResponses(400, 404) },
      },
    },
    async (req) => presentTune(await tuneOr404(req.params.id)),
  );

  app.post(
    '/v1/tunes/:id/cancel',
    {
      config: { auth: 'submit' },
      schema: {
        tags: ['tunes'],
        operationId: 'cancelTune',
        summary: 'Cancel a tune: its running trials and the ones not yet started',
        description:
          'The tune is cancelled at once (202); its running trials are cancelled as `POST /v1/jobs/{id}/cancel` does (a running one aborts cooperatively) and the trials not yet started never run. Once the running ones are recorded, `best` names the best trial that completed, if any. A tune that already ended is left as it is (200).',
        params: IdParams,
        response: { 200: Tune, 202: Tune, ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const row = await tuneOr404(req.params.id);
      const cancelled = await cancelTune(ctx, row);
      if (cancelled) ctx.kickPipelines();
      return reply.status(cancelled ? 202 : 200).send(presentTune(cancelled ? await tuneOr404(row.id) : row));
    },
  );
};
