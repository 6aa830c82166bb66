import { AppError } from '@kiln/contracts';
import { endPipeline, getPipeline, listPipelines, pipelineStates } from '@kiln/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { decodeCursor, locationOf, Paged, pageOf, pageQuery } from '../paging.js';
import { cancelJobById, createPipeline, Pipeline, PipelineBody, presentPipeline } from '../pipelines/pipelines.js';
import { errorResponses, IdParams } from '../schemas/common.js';

const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Makes the create idempotent: the same key gives the same pipeline (200, `idempotent-replayed: true`).'),
});

const terminal = ['completed', 'failed', 'cancelled'];

export const pipelineRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  async function pipelineOr404(id: string) {
    const row = await getPipeline(ctx.db, id);
    if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no pipeline ${id}`);
    return row;
  }

  app.post(
    '/v1/pipelines',
    {
      config: { auth: 'submit' },
      schema: {
        tags: ['pipelines'],
        operationId: 'createPipeline',
        summary: 'Run jobs one after another (train, then score with the new model)',
        description:
          'Checks every step, prepares the first one (its references resolved, as `POST /v1/jobs` does) and queues it; each next step is submitted when the one before it completed. An `ssm.score` step without `modelId` scores with the model the `ssm.train` step before it produced. A step that fails or is cancelled fails or cancels the rest, which never run.',
        headers: IdempotencyHeaders,
        body: PipelineBody,
        response: {
          200: Pipeline.describe('Replayed: this Idempotency-Key already made this pipeline.'),
          201: Pipeline,
          ...errorResponses(400, 404, 409, 413),
        },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const r = await createPipeline(ctx, req.body, {
        ...(key ? { key: `${req.principal?.id ?? 'anonymous'}:${key}` } : {}),
        apiKeyId: req.principal?.id,
      });
      ctx.kickPipelines();
      void reply.header('location', locationOf('/v1/pipelines', r.id));
      if (!r.created) void reply.header('idempotent-replayed', 'true');
      return reply.status(r.created ? 201 : 200).send(presentPipeline(r.pipeline));
    },
  );

  app.get(
    '/v1/pipelines',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['pipelines'],
        operationId: 'listPipelines',
        summary: 'List pipelines, newest first',
        querystring: z.object({ state: z.enum(pipelineStates).optional(), ...pageQuery(50) }),
        response: { 200: Paged(Pipeline), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const after = decodeCursor(req.query.cursor);
      const rows = await listPipelines(ctx.db, { limit: req.query.limit, ...(req.query.state ? { state: req.query.state } : {}), ...(after ? { after } : {}) });
      return pageOf(req, reply, rows, req.query.limit, presentPipeline);
    },
  );

  app.get(
    '/v1/pipelines/:id',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['pipelines'],
        operationId: 'getPipeline',
        summary: 'A pipeline: its state and its steps with their jobs',
        params: IdParams,
        response: { 200: Pipeline, ...errorResponses(400, 404) },
      },
    },
    async (req) => presentPipeline(await pipelineOr404(req.params.id)),
  );

  app.post(
    '/v1/pipelines/:id/cancel',
    {
      config: { auth: 'submit' },
      schema: {
        tags: ['pipelines'],
        operationId: 'cancelPipeline',
        summary: 'Cancel a pipeline: its running step and every step after it',
        description:
          'The pipeline is cancelled at once (202); its current job is cancelled as `POST /v1/jobs/{id}/cancel` does (a running one aborts cooperatively) and the steps after it never run. A pipeline that already ended is left as it is (200).',
        params: IdParams,
        response: { 200: Pipeline, 202: Pipeline, ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const row = await pipelineOr404(id);
      if (terminal.includes(row.state)) return reply.status(200).send(presentPipeline(row));
      await endPipeline(
        ctx.db,
        id,
        'cancelled',
        { code: 'KILN_ERR_JOB_CANCELLED', message: 'cancelled by user' },
        { state: 'cancelled', error: { code: 'KILN_ERR_JOB_CANCELLED', message: 'not run: the pipeline was cancelled' } },
      );
      for (const step of row.steps) if (step.jobId) await cancelJobById(ctx, step.jobId, 'its pipeline was cancelled');
      return reply.status(202).send(presentPipeline(await pipelineOr404(id)));
    },
  );
};
