import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Gauge, Registry } from 'prom-client';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { errorResponses, publicErrorResponses } from '../schemas/common.js';

/** Prometheus metrics: queue depths from BullMQ, job outcomes and durations from the job rows. */
export const metricsRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const registry = new Registry();
  const depth = new Gauge({ name: 'kiln_queue_jobs', help: 'Jobs in each BullMQ queue by state', labelNames: ['queue', 'state'], registers: [registry] });
  const paused = new Gauge({ name: 'kiln_queue_paused', help: '1 when the queue is paused', labelNames: ['queue'], registers: [registry] });
  const jobs = new Gauge({ name: 'kiln_jobs', help: 'Job rows by kind and state (outcomes)', labelNames: ['kind', 'state'], registers: [registry] });
  const durSum = new Gauge({
    name: 'kiln_job_duration_seconds_sum',
    help: 'Total run time of finished jobs',
    labelNames: ['kind', 'state'],
    registers: [registry],
  });
  const durCount = new Gauge({
    name: 'kiln_job_duration_seconds_count',
    help: 'Finished jobs with a run time',
    labelNames: ['kind', 'state'],
    registers: [registry],
  });
  const durMax = new Gauge({
    name: 'kiln_job_duration_seconds_max',
    help: 'Longest run time of a finished job',
    labelNames: ['kind', 'state'],
    registers: [registry],
  });

  const open = !ctx.metricsRequireKey;
  const metricsSchema = {
    tags: ['health'],
    ...(open ? { security: [] } : {}),
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    response: {
      200: { description: 'The Prometheus text exposition format.', content: { 'text/plain': { schema: z.string() } } },
      ...(open ? publicErrorResponses() : errorResponses()),
    },
  };
  app.get('/metrics', { config: { auth: open ? 'none' : 'read', rateLimit: false }, schema: metricsSchema }, async (_req, reply) => {
    const [queues, rows] = await Promise.all([
      ctx.queues.info(),
      ctx.db.$queryRaw<Array<{ kind: string; state: string; count: bigint; sum: number | null; max: number | null; timed: bigint }>>`
        SELECT kind, state::text AS state, count(*) AS count,
               sum(extract(epoch FROM "finishedAt" - "startedAt"))::float8 AS sum,
               max(extract(epoch FROM "finishedAt" - "startedAt"))::float8 AS max,
               count("finishedAt" - "startedAt") AS timed
        FROM "Job" GROUP BY kind, state`,
    ]);
    depth.reset();
    jobs.reset();
    durSum.reset();
    durCount.reset();
    durMax.reset();
    for (const q of queues) {
      paused.set({ queue: q.name }, q.paused ? 1 : 0);
      for (const [state, n] of Object.entries(q.counts)) depth.set({ queue: q.name, state }, n);
    }
    for (const r of rows) {
      const labels = { kind: r.kind, state: r.state };
      jobs.set(labels, Number(r.count));
      if (Number(r.timed) > 0) {
        durSum.set(labels, r.sum ?? 0);
        durCount.set(labels, Number(r.timed));
        durMax.set(labels, r.max ?? 0);
      }
    }
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
};
