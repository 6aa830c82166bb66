import { AppError } from '@kiln/contracts';
import { deleteSchedule, getSchedule, insertSchedule, listScheduleFirings, listSchedules, type ScheduleRow, setScheduleState } from '@kiln/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { decodeCursor, locationOf, Paged, pageOf, pageQuery } from '../paging.js';
import { CreateScheduleBody, checkSchedule, presentSchedule, Schedule } from '../schedules/schedules.js';
import { errorResponses, IdParams } from '../schemas/common.js';

export const scheduleRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  async function scheduleOr404(id: string): Promise<ScheduleRow> {
    const row = await getSchedule(ctx.db, id);
    if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no schedule ${id}`);
    return row;
  }
  const detail = async (row: ScheduleRow) => presentSchedule(ctx, row, await listScheduleFirings(ctx.db, row.id, 20));

  app.post(
    '/v1/schedules',
    {
      config: { auth: 'submit' },
      schema: {
        tags: ['schedules'],
        operationId: 'createSchedule',
        summary: 'Submit a job or a pipeline on a cron expression or every N milliseconds',
        description:
          "Each firing submits the target as `POST /v1/jobs` or `POST /v1/pipelines` would, under an Idempotency-Key made of the schedule's id and the firing's time: however many API processes run, a firing creates one job or pipeline. Schedules live in Postgres and their timers in Redis (BullMQ job schedulers): they survive restarts.",
        body: CreateScheduleBody,
        response: { 201: Schedule, ...errorResponses(400, 404, 413) },
      },
    },
    async (req, reply) => {
      const body = req.body;
      await checkSchedule(ctx, body);
      const row = await insertSchedule(ctx.db, {
        name: body.name,
        cron: body.cron ?? null,
        everyMs: body.everyMs ?? null,
        tz: body.tz ?? null,
        target: body.target,
        ...(req.principal?.id ? { apiKeyId: req.principal.id } : {}),
      });
      try {
        await ctx.schedules.upsert(row.id, row);
      } catch (error) {
        await deleteSchedule(ctx.db, row.id).catch(() => undefined);
        throw error;
      }
      void reply.header('location', locationOf('/v1/schedules', row.id));
      return reply.status(201).send(await detail(row));
    },
  );

  app.get(
    '/v1/schedules',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['schedules'],
        operationId: 'listSchedules',
        summary: 'List schedules, newest first',
        querystring: z.object(pageQuery(50)),
        response: { 200: Paged(Schedule), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const after = decodeCursor(req.query.cursor);
      const rows = await listSchedules(ctx.db, { limit: req.query.limit, ...(after ? { after } : {}) });
      const page = pageOf(req, reply, rows, req.query.limit, (r) => r);
      return { ...page, items: await Promise.all(page.items.map((r) => presentSchedule(ctx, r))) };
    },
  );

  app.get(
    '/v1/schedules/:id',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['schedules'],
        operationId: 'getSchedule',
        summary: 'A schedule, its next firing and its latest firings with what each created',
        params: IdParams,
        response: { 200: Schedule, ...errorResponses(400, 404) },
      },
    },
    async (req) => detail(await scheduleOr404(req.params.id)),
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `/v1/schedules/:id/${action}`,
      {
        config: { auth: 'submit' },
        schema: {
          tags: ['schedules'],
          operationId: `${action}Schedule`,
          summary: action === 'pause' ? 'Stop a schedule firing (its firings so far are kept)' : 'Fire a paused schedule again',
          params: IdParams,
          response: { 200: Schedule, ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        const row = await scheduleOr404(req.params.id);
        if (action === 'pause') {
          await setScheduleState(ctx.db, row.id, 'paused');
          await ctx.schedules.remove(row.id);
        } else {
          await setScheduleState(ctx.db, row.id, 'active');
          await ctx.schedules.upsert(row.id, row);
        }
        return detail(await scheduleOr404(row.id));
      },
    );
  }

  app.delete(
    '/v1/schedules/:id',
    {
      config: { auth: 'submit' },
      schema: {
        tags: ['schedules'],
        operationId: 'deleteSchedule',
        summary: 'Delete a schedule: it never fires again (the jobs and pipelines it created stay)',
        params: IdParams,
        // A body sent with it is still read: it may be too large or of a type no route takes.
        response: { 204: z.void().describe('Deleted.'), ...errorResponses(400, 404, 413, 415) },
      },
    },
    async (req, reply) => {
      const row = await scheduleOr404(req.params.id);
      await ctx.schedules.remove(row.id);
      await deleteSchedule(ctx.db, row.id);
      return reply.status(204).send();
    },
  );
};
